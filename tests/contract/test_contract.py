"""The extension's contract (_extensions/pycells/contract/): its schema holds, the filter writes
the example page's golden config, the course's reader places each cell on its code's lines,
both hosts give the golden outputs, and every page of the site and every build output file
follow the schema. The page's side (what it reads, shows and sends) is tests/browser/test_browser_runners.py."""
from __future__ import annotations

import json

import jsonschema
import pytest

from coursekit import build_outputs, engines, website
from coursekit.chapters import executable_cells, page_plan, parse_chapter
from contract_files import GOLDEN_CONFIG, GOLDEN_OUTPUTS, SCHEMA, problems, shown
from fixture_projects import CONTRACT_EXAMPLE, REPO


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_can_fail():
    broken = json.loads(json.dumps(GOLDEN_CONFIG))
    broken["cells"][0]["file"] = "<qmd-cell-0>"
    broken["cells"][1]["run"] = "sometimes"
    assert len(problems("pageConfig", {**broken, "engineUrl": "x/", "wheels": []})) == 2


def test_the_filter_writes_the_golden_page_config():
    config = page_plan(CONTRACT_EXAMPLE, CONTRACT_EXAMPLE.read_text(encoding="utf-8"))
    assert not problems("pageConfig", config)
    assert {key: config[key] for key in GOLDEN_CONFIG} == GOLDEN_CONFIG


def test_every_page_of_the_site_that_has_cells_writes_a_config_the_schema_accepts():
    found = {}
    for page in website.site_pages(REPO, website.load_config(REPO, None)):
        config = page_plan(REPO / page, (REPO / page).read_text(encoding="utf-8"))
        if config["cells"]:
            found[page] = problems("pageConfig", config)
    assert len(found) >= 7, f"expected every chapter to have cells, found {sorted(found)}"
    assert not any(found.values()), found


def test_the_chapter_reader_places_each_cell_on_its_code_in_the_source():
    """The reader's own part: the names come from the config, the line of each cell's code from
    the source, which tracebacks and failure messages point at."""
    for page in [CONTRACT_EXAMPLE, *sorted((REPO / "chapters").glob("*.qmd"))]:
        lines = page.read_text(encoding="utf-8").splitlines()
        by_index = {cell["index"]: cell for cell in page_plan(page, "\n".join(lines))["cells"]}
        for cell in parse_chapter(page).cells:
            assert cell.name == by_index[cell.position]["name"]
            code = cell.code.splitlines()
            if code and not by_index[cell.position].get("fromDiv"):
                placed = lines[cell.code_line - 1:cell.code_line - 1 + len(code)]
                assert placed == code, f"{page.name}: {cell.name} is placed on line {cell.code_line}, not on its code"


@pytest.mark.parametrize("engine", ["cpython", "pyodide"])
def test_both_hosts_give_the_golden_outputs(engine, pyodide_mirror):
    chapter = parse_chapter(CONTRACT_EXAMPLE)
    cells = executable_cells(chapter)
    if engine == "cpython":
        command, job = engines.CPYTHON_COMMAND, engines.host_job(cells, stop_at_error=False)
    else:
        command, job = engines.NODE_COMMAND, engines.node_job(cells, chapter.packages, [], stop_at_error=False)
    assert not problems("hostJob", job)
    result, problem = engines.run_host(command, job, timeout=300)
    assert not problem
    assert not problems("hostResult", result)
    outputs = {cell.label: shown(record["outputs"]) for cell, record in zip(cells, result["cells"])
               if cell.role == "code"}
    assert outputs == GOLDEN_OUTPUTS


@pytest.mark.slow
def test_a_build_outputs_file_follows_the_schema(pylib_wheel, tmp_path):
    page = str(CONTRACT_EXAMPLE.relative_to(REPO))
    outcome = build_outputs.build_page(REPO, page, tmp_path, lambda wheels: engines.wheel_site(wheels, tmp_path / "site"))
    assert outcome == "written"
    written = json.loads((tmp_path / CONTRACT_EXAMPLE.relative_to(REPO).with_suffix(".json")).read_text(encoding="utf-8"))
    assert not problems("buildOutputs", written)
    by_index = {cell["index"]: cell for cell in GOLDEN_CONFIG["cells"]}
    recorded = {by_index[int(index)]["options"].get("label"): shown(record["outputs"])
                for index, record in written["cells"].items()}
    assert recorded == GOLDEN_OUTPUTS
