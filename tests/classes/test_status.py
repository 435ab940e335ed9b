import pytest

from app.classes import status as st


def test_transition_table_and_next_steps():
    assert st.next_steps("planned") == ["open", "cancelled"]
    assert st.next_steps("open") == ["planned", "cancelled"]  # "allocated" only by confirming
    assert st.next_steps("allocated") == ["running", "cancelled"]
    assert st.next_steps("running") == ["finished"]
    assert st.next_steps("finished") == [] and st.next_steps("cancelled") == []
    st.check_transition("open", "allocated", workflow=True)


@pytest.mark.parametrize("current,target,words", [
    ("finished", "open", "trạng thái cuối"),
    ("planned", "running", "chỉ chuyển được sang"),
    ("open", "allocated", "xác nhận kết quả xét chọn"),
    ("open", "open", "đã ở trạng thái"),
    ("open", "nowhere", "không tồn tại"),
])
def test_refused_transitions_say_why_in_vietnamese(current, target, words):
    with pytest.raises(st.StatusError) as error:
        st.check_transition(current, target)
    assert words in str(error.value)
