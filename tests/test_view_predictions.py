"""The predictions view keeps each prediction's due window and the named query works
out its status from today's date: on the days around every window's edges, the
status of each prediction is the one the earlier query (tests/fixtures/queries-before)
gives on that day."""
import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from graph import queries
from query_compare import answer

BEFORE = Path(__file__).parent / "fixtures" / "queries-before" / "predictions.rq"


def on(q, day):
    """The query as it would run on `day`: NOW() fixed at noon UTC."""
    text = q.text.replace("NOW()", f'"{day}T12:00:00Z"^^xsd:dateTime')
    assert text != q.text
    return dataclasses.replace(q, text=text)


def edges(store):
    """The day before, the first and the day after each opening and closing date."""
    days = set()
    for sol in queries.run_sparql(store, "SELECT DISTINCT ?d WHERE { ?row col:opens|col:closes ?d }"):
        try:
            d = date.fromisoformat(sol["d"].value)
        except ValueError:          # "~" (no due date) or a month's "-31" past its end
            continue
        days |= {d - timedelta(days=1), d, d + timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize("status", [None, "open", "due", "overdue"])
def test_status_on_the_edges_of_the_windows_as_before(store, status):
    old, new = queries.parse_query_file(BEFORE), queries.find("predictions")
    params = {"status": status} if status else {}
    days = edges(store)
    assert days, "no dated window in the view: the comparison would prove nothing"
    states = set()
    for day in days:
        before = answer(store, on(old, day), params)
        assert answer(store, on(new, day), params) == before, (day, status)
        states |= {row[before[0].index("state")] for row in before[1]}
    assert status is not None or {"open", "due", "overdue"} <= states
