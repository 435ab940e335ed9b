"""The benchmarks ask for the app's own addresses: a route moved without its benchmark leaves
`make bench` failing with a 404 (the province form's benchmark asked for an address the form
had left), which no test saw."""

from urllib.parse import urlsplit

import pytest

from bench import bench_pages, bench_reports

IDS = {"c40": 1, "c60": 2, "c600": 3}

ADDRESSES = [path.format(**IDS) for _label, _role, path in bench_pages.PAGES] \
    + list(bench_reports.URLS.values())


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_benchmarked_address_is_a_route(app, address):
    endpoint, _args = app.url_map.bind("localhost").match(urlsplit(address).path, "GET")
    assert endpoint in app.view_functions
