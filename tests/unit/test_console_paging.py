"""The console's conversation list comes in pages."""

from shopassist.console.app import PAGE_SIZE, paged


def test_the_list_is_paged_and_bad_page_numbers_fall_back():
    items = list(range(2 * PAGE_SIZE + 1))
    assert paged(items, None) == (1, 3, items[:PAGE_SIZE])
    assert paged(items, "3") == (3, 3, items[-1:])
    assert paged(items, "99")[0] == 3 and paged(items, "-1")[0] == 1
    assert paged(items, "x")[0] == 1 and paged([], "2") == (1, 1, [])
