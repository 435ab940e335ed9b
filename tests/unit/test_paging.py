from app.core.paging import MAX_PAGE, Pager, page_number


def test_page_number_is_a_positive_bounded_integer():
    assert page_number({}) == 1
    assert page_number({"page": "3"}) == 3
    assert page_number({"page": "0"}) == 1
    assert page_number({"page": "-2"}) == 1
    assert page_number({"page": "abc"}) == 1
    assert page_number({"page": "99999999999999999999"}) == MAX_PAGE


def test_pager_counts_pages_and_keeps_the_filters_in_its_links():
    pager = Pager(page=2, size=50, total=101, args={"q": "hoa"})
    assert pager.pages == 3 and pager.offset == 50
    assert pager.url_args(3) == "q=hoa&page=3"
    assert Pager(page=1, size=50, total=0).pages == 1
