"""Pure rules of the accompaniment model: enums, validated inputs and derived figures. No database, no UI."""
