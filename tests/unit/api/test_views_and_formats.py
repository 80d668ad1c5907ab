"""Masking, Open311 rendering and roster files (pure)."""
from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from api.open311.formats import error_response, format_of, xml_bytes
from api.open311.services import parse_date
from models.access import Actor, Role, mask, petitioner_for
from infra.demo.township import demo_roster
from infra.roster_files import RosterFileProblem, read_csv, read_roster_bytes, read_xlsx, write_csv, write_xlsx
from models.roster import Roster

PETITIONER = {"name": "李四", "phone": "13812345678", "id_number": "330782199001011234", "anonymous": False}


def test_masking_keeps_only_the_ends() -> None:
    assert mask("13812345678", 3, 4) == "138****5678"
    assert mask("330782199001011234", 4, 2) == "3307************34"
    assert mask("123", 3, 4) == "***" and mask(None, 3, 4) is None


@pytest.mark.parametrize("role", ["cadre", "leader", "admin"])
def test_everyone_but_the_callers_back_sees_masked_data(role: str) -> None:
    seen = petitioner_for(Actor(Role(role), None), PETITIONER)
    assert seen is not None and seen["masked"] and seen["phone"] == "138****5678"


@pytest.mark.parametrize("role", ["operator", "petition_staff"])
def test_operators_and_petition_staff_see_the_number_to_call_back(role: str) -> None:
    seen = petitioner_for(Actor(Role(role), None), PETITIONER)
    assert seen is not None and not seen["masked"] and seen["phone"] == "13812345678"


def test_an_anonymous_callers_name_is_hidden_from_masked_views() -> None:
    seen = petitioner_for(Actor(Role.CADRE, None), {**PETITIONER, "anonymous": True})
    assert seen is not None and seen["name"] is None


def test_xml_follows_the_georeport_element_names() -> None:
    root = ET.fromstring(xml_bytes("service_requests", "request", [{"service_request_id": "1", "lat": None}]))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == "1"
    assert root.find("request/lat") is not None and root.findtext("request/lat") == ""  # present, empty


def test_errors_take_the_format_of_the_path() -> None:
    assert format_of("/open311/v2/requests.json") == "json"
    assert format_of("/open311/v2/requests.xml") == "xml"
    assert format_of("/open311/v2/requests.csv") == "xml"
    response = error_response("/open311/v2/requests.json", 400, "service_code: missing")
    assert response.status_code == 400 and b'"code":400' in response.body


def test_dates_need_a_zone() -> None:
    assert parse_date("2026-11-29T08:00:00Z", "start_date") is not None
    with pytest.raises(ValueError, match="start_date: needs a time zone"):
        parse_date("2026-11-29T08:00:00", "start_date")
    with pytest.raises(ValueError, match="end_date: not a W3C date-time"):
        parse_date("tomorrow", "end_date")


@pytest.mark.parametrize("write,read", [(write_csv, read_csv), (write_xlsx, read_xlsx)])
def test_roster_files_round_trip_to_the_same_roster(write: object, read: object) -> None:
    document = demo_roster()
    back = read(write(document))  # type: ignore[operator]
    assert Roster.from_contract(back).to_contract() == Roster.from_contract(document).to_contract()


def test_a_csv_without_the_table_column_is_refused_with_the_reason() -> None:
    with pytest.raises(RosterFileProblem, match="first column must be `table`"):
        read_csv(b"code,name\n1,x\n")
    with pytest.raises(RosterFileProblem, match="unknown table 'people'"):
        read_csv(b"table,code\npeople,1\n")
    with pytest.raises(RosterFileProblem, match=r"\.json, \.csv or \.xlsx"):
        read_roster_bytes(b"", "roster.txt")
    with pytest.raises(RosterFileProblem, match="not a readable XLSX"):
        read_xlsx(b"not a workbook")
