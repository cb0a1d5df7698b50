"""Readable link identifiers in the store (issue 13): a commitment is found by ``OAX-1-3``, the states a link may
name are the programme's, and archived or unknown records are not found, on both backends."""

from __future__ import annotations

import pytest

from accompaniment.domain.errors import NotFound
from accompaniment.domain.links import CommitmentRef, parse_commitment_ref, parse_state
from accompaniment.store import archive, commitments, links
from tests.conftest import ACTORS, OAXACA


def test_the_states_a_link_may_name_are_the_programme_states_with_their_codes(store):
    keys = links.state_keys(store, ACTORS["public"])
    assert len(keys) == 15
    assert (OAXACA, "MX-OAX", "OAX") in keys
    assert parse_state("oax", keys) == OAXACA
    assert parse_state("01", keys) is None  # Aguascalientes is not in the programme


@pytest.mark.parametrize("role", list(ACTORS))
def test_every_live_numbered_commitment_has_a_reference_that_finds_it_again(store, role):
    refs = links.commitment_refs(store, ACTORS[role])
    assert refs, "the reference data holds the states' real commitments"
    assert len(set(refs.values())) == len(refs)
    for commitment_id, ref in refs.items():
        assert links.commitment_id(store, ACTORS[role], parse_commitment_ref(ref)) == commitment_id
        assert links.commitment_ref_of(store, ACTORS[role], commitment_id) == ref


def test_oaxacas_five_numbered_first_plan_commitments_are_oax_1_1_to_oax_1_5(store):
    refs = set(links.commitment_refs(store, ACTORS["public"]).values())
    assert {"OAX-1-1", "OAX-1-2", "OAX-1-3", "OAX-1-4", "OAX-1-5"} <= refs
    assert "OAX-1-6" not in refs  # the sixth is proactive: it has no number, so no readable identifier


@pytest.mark.parametrize(
    "ref", [CommitmentRef("OAX", 1, 999), CommitmentRef("OAX", 9, 1), CommitmentRef("ZZZ", 1, 1)]
)
def test_a_reference_to_no_commitment_is_not_found(store, ref):
    with pytest.raises(NotFound):
        links.commitment_id(store, ACTORS["public"], ref)


def test_an_archived_commitment_is_not_found_by_its_reference(store):
    commitment_id = next(
        i for i, r in links.commitment_refs(store, ACTORS["admin"]).items() if r == "OAX-1-1"
    )
    version = commitments.get_commitment(store, ACTORS["admin"], commitment_id)["version"]
    archive.archive(store, ACTORS["admin"], "commitment", commitment_id, version)
    with pytest.raises(NotFound):
        links.commitment_id(store, ACTORS["public"], CommitmentRef("OAX", 1, 1))
    assert "OAX-1-1" not in links.commitment_refs(store, ACTORS["public"]).values()


def test_a_milestone_is_found_by_its_commitments_reference_and_its_number(store):
    from accompaniment.domain.links import parse_milestone_ref

    plan_id = commitments.create_plan(store, ACTORS["admin"], {"state_code": OAXACA, "number": 7})
    commitment_id = commitments.create_commitment(
        store, ACTORS["admin"], {"plan_id": plan_id, "number": 4, "title": "Compromiso de prueba de enlaces"}
    )
    commitments.create_milestone(
        store, ACTORS["admin"], {"commitment_id": commitment_id, "number": 1, "description": "Primer hito"}
    )
    ref = links.commitment_ref_of(store, ACTORS["public"], commitment_id)
    wanted = commitments.get_commitment(store, ACTORS["public"], commitment_id)["milestones"][0]
    parsed = parse_milestone_ref(f"{ref}-{wanted['number']}")
    assert links.milestone_id(store, ACTORS["public"], *parsed) == (commitment_id, int(wanted["id"]))
    with pytest.raises(NotFound):
        links.milestone_id(store, ACTORS["public"], parsed[0], 9999)
