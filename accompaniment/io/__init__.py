"""Import, export (CSV, XLSX, data package), printable reports and backups."""
