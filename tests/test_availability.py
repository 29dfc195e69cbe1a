"""What a part needs from the client's data: one check for a missing table (SalesData.require, which
availability.require_table and SalesData.deals use), its reason keyed and given in the report's
language, never in English inside a French report."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.availability import require_column, require_deal_column, require_deals, require_table
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError


def calls_only() -> SalesData:
    """Client 'orsea': activities only (no deals, no accounts), its leads without a creation date."""
    config = ClientConfig(client="orsea", display_name="Orséa", language="fr")
    return SalesData(
        config,
        {
            "activities": pd.DataFrame({"activity_id": ["a1"]}),
            "leads": pd.DataFrame({"lead_id": ["l1"], "created_at": [pd.NaT]}),
        },
    )


@pytest.mark.parametrize(
    "ask", [lambda d: d.deals, lambda d: d.require("deals"), require_deals, lambda d: require_table(d, "deals")]
)
def test_a_missing_deals_table_is_one_keyed_reason_whoever_asks(ask):
    with pytest.raises(UnavailableError) as raised:
        ask(calls_only())
    error = raised.value
    assert error.key == "unavailable.no_table" and error.fields == {"table": "deals", "client": "orsea"}
    assert error.reason("fr") == (
        "cette partie repose sur la table « Affaires », que le client « orsea » n'a pas "
        "importée (déclarez-la sous import: deals: dans client.yml)"
    )
    assert str(error) == (
        "this part needs the deals table (Deals), which client 'orsea' has not imported "
        "(map it under import: deals: in client.yml)"
    )


def test_an_imported_table_is_returned_as_it_is():
    data = calls_only()
    assert data.require("activities") is data.tables["activities"]
    assert require_table(data, "activities") is data.tables["activities"]


def test_a_table_that_is_not_canonical_is_a_bug_not_unavailable():
    with pytest.raises(KeyError):
        calls_only().require("calls")


def test_columns_missing_or_empty_are_keyed_too():
    data = calls_only()
    with pytest.raises(UnavailableError) as raised:
        require_column(data, "leads", "created_at")  # present but empty everywhere
    assert raised.value.key == "unavailable.no_column"
    assert "« Leads »" in raised.value.reason("fr") and "needs" not in raised.value.reason("fr")
    with pytest.raises(UnavailableError) as raised:
        require_deal_column(data, "owner")  # no deals at all: the table's reason comes first
    assert raised.value.key == "unavailable.no_table"
