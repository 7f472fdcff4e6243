import pytest

from missing_input import missing


def test_a_missing_input_skips_on_a_maintainers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="quarto is not on PATH"):
        missing("quarto is not on PATH")


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_a_missing_input_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="the seeds are not here .CI=true"):
        missing("the seeds are not here")
