"""Every number the prose quotes is the number a cell on that page prints.

Each row names a chapter, the label of the cell that prints the number, a
pattern that finds it in that cell's output, and how the prose quotes it: the
prose must contain the quote with the printed number filled in, and the
chapter must print it, in CPython and in Pyodide. Rows with a `claim` instead
of a quote check a statement the prose makes about the number: ("below", 1e-7)
against a fixed bound, or ("above", pattern) against another number the same
cell prints ("the peak is above the final accuracy").

The chapters run through the shared harness (tests/chapters/conftest.py), so a
session that also runs test_chapters_run.py runs each chapter only once.
"""

import re
from pathlib import Path

import pytest

from coursekit.chapters import chapter_files
from coursekit.engines import REPO

ENGINES = ["cpython", "pyodide"]


def quote(prose, fmt="{:g}"):
    return {"prose": prose, "fmt": fmt}


# (chapter, cell label, pattern with one group, quote(...) or claim)
NUMBERS = [
    ("01-digits", "class-counts", r"digit 0:\s+(\d+) train", quote("{} of 60,000", "{:,.0f}")),
    ("02-neuron", "worked-example", r"sigma\(z\) = ([\d.]+)", quote(r"\approx {}", "{:.4f}")),
    ("02-neuron", "template-accuracy", r"hand-made neuron: ([\d.]+)%", quote("About {} %, well above", "{:.0f}")),
    ("02-neuron", "template-accuracy", r"hand-made neuron: ([\d.]+)%", quote("about {} % test", "{:.0f}")),
    ("02-neuron", "template-accuracy", r"'not a zero': ([\d.]+)%", quote("the {} % of the lazy answer", "{:.0f}")),
    ("02-neuron", "template-histogram", r"below 0.5:\s+([\d.]+)%", quote("{} % of the zeros fall below", "{:.1f}")),
    ("02-neuron", "template-histogram", r"above 0.5:\s+([\d.]+)%", quote("{} % of the other digits above", "{:.1f}")),
    ("03-loss", "score-neurons", r"training set: ([\d.]+)", quote("zeros in the training set, {}", "{:.3f}")),
    ("03-loss", "score-neurons", r"base rate:.*cross-entropy ([\d.]+)", quote("That constant scores {}", "{:.2f}")),
    ("04-gradient-descent", "check-one-weight", r"chain rule:\s+(\S+)\n", "equals-finite-difference"),
    ("04-gradient-descent", "gradient-check", r"parameters: (\S+)\n", ("below", 1e-7)),
    ("05-hidden-layer", "gradient-check", r"parameters: (\S+)\n", ("below", 1e-7)),
    ("06-softmax", "gradient-check", r"largest relative error: (\S+)\n", ("below", 1e-7)),
    ("04-gradient-descent", "learning-rates", r"eta =\s+1000: loss after step 1\s+([\d.]+)",
     quote("the loss is {}, almost four", "{:.2f}")),
    ("04-gradient-descent", "learning-rates", r"eta =\s+1000: .*after 60 steps ([\d.]+)",
     quote("its loss, {}, is still above", "{:.3f}")),
    ("04-gradient-descent", "learning-rates", r"eta =\s+1000: .*training accuracy ([\d.]+)%",
     quote("its training accuracy, {} %, is higher", "{:.2f}")),
    ("04-gradient-descent", "learning-rates", r"eta =\s+1000: .*training accuracy ([\d.]+)%",
     ("above", r"eta =\s+1: .*training accuracy ([\d.]+)%")),
    # the false alarms: mostly 6, 2, 5 and 3, each more often than 8 or 9
    *[("04-gradient-descent", "mistakes", rf"by true digit: .*\b{digit}: (\d+)", ("above", rf"by true digit: .*\b{rare}: (\d+)"))
      for digit in (2, 3, 5, 6) for rare in (8, 9)],
    # the valley: momentum with a long-run step of 0.1 beats plain steps under the limit; plain 0.1 diverges
    ("05-hidden-layer", "momentum-valley", r"/ momentum: (\d+)", quote("its loss is {} times lower than that", "{:.0f}")),
    ("05-hidden-layer", "momentum-valley", r"momentum, .* changed sign (\d+) times",
     ("below", r"plain, η = 0.036 .* changed sign (\d+) times")),
    ("05-hidden-layer", "momentum-valley", r"plain, η = 0.1 .*-> (\S+) after", ("above", r"plain, η = 0.1 .*loss ([\d.]+) ->")),
    # the initial sums: about 0.3, on the sigmoid's steep middle, none in its flat tails
    ("05-hidden-layer", "initial-sums", r"standard deviation\): ([\d.]+)", quote("start at a size of about {}, not 1", "{:.1f}")),
    ("05-hidden-layer", "initial-sums", r"squared pixels add up to ([\d.]+)", quote("196 squared pixels add up to about {},", "{:.0f}")),
    ("05-hidden-layer", "initial-sums", r"slope of the sigmoid there: ([\d.]+)", quote("the mean slope is {}, close", "{:.3f}")),
    ("05-hidden-layer", "initial-sums", r"flat tails \(slope below 0.01\): ([\d.]+)%", ("below", 1.0)),
    ("05-hidden-layer", "batch-comparison", r"η = 5\s+loss after 5 epochs ([\d.]+)", quote("reach {}, close", "{:.4f}")),
    ("05-hidden-layer", "batch-comparison", r"momentum 0.9\s+loss after 5 epochs ([\d.]+)",
     quote("close to momentum's {}", "{:.4f}")),
    ("05-hidden-layer", "batch-comparison", r"steps per epoch with batches of 128: (\d+)",
     quote("take {} steps per epoch", "{:.0f}")),
    # 65 against 90 mistakes, digit by digit: fixed against broken, and how unlikely such a split is by luck
    ("05-hidden-layer", "fixed-digits", r"fixed by the network: (\d+)", quote("The network fixes {} of", "{:.0f}")),
    ("05-hidden-layer", "fixed-digits", r"broken by it: (\d+)", quote("and breaks {} digits", "{:.0f}")),
    ("05-hidden-layer", "fixed-digits", r"equally good: (\S+)\n", ("below", 2e-5)),
    ("05-hidden-layer", "hidden-weights", r"(\d+) of the 196 pixels are blank", quote("In {} pixels, all in the corners", "{:.0f}")),
    ("05-hidden-layer", "compare-test", r"196-64-1 network\s+test accuracy [\d.]+%\s+(\d+) mistakes",
     quote("the network makes {} mistakes", "{:.0f}")),
    ("05-hidden-layer", "compare-test", r"single neuron\s+test accuracy [\d.]+%\s+(\d+) mistakes",
     quote("the single neuron {},", "{:.0f}")),
    ("06-softmax", "softmax-overflow", r"largest float64: ([\d.]+)e\+308", quote(r"about ${} \times 10^{{308}}$", "{:.1f}")),
    ("06-softmax", "softmax-overflow", r"exp overflows above ([\d.]+)", quote("about {}.", "{:.1f}")),
    ("06-softmax", "clipping-matters", r"changes the loss: (\d+)", ("below", 1)),
    ("06-softmax", "confident-mistakes", r"above 0.7: (\d+)%", quote("{} % of them have a top", "{:.0f}")),
    ("06-softmax", "confident-mistakes", r"above 0.9: (\d+)%", quote("and {} % above 0.9", "{:.0f}")),
    ("06-softmax", "test-accuracy", r"test accuracy: ([\d.]+)%", ("above", 97.0)),
    ("06-softmax", "linear-baseline", r"no hidden layer:\s+test accuracy ([\d.]+)%", quote("respectable at {} %", "{:.2f}")),
    ("06-softmax", "linear-baseline", r"mistakes: (\d+) against", quote("cuts its {} mistakes", "{:.0f}")),
    ("06-softmax", "linear-baseline", r"mistakes: \d+ against (\d+)", quote("mistakes to {}, by", "{:.0f}")),
    ("06-softmax", "overfit", r"validation accuracy: ([\d.]+)% at epoch", quote("from {} % at the lowest loss", "{:.1f}")),
    ("06-softmax", "overfit", r"validation accuracy: .*, ([\d.]+)% at epoch 60", quote("slightly, to {} % at the end", "{:.1f}")),
    # overfitting: accuracy peaks after the loss turns, then slips a little by epoch 60
    ("06-softmax", "overfit", r"highest validation accuracy: ([\d.]+)%", quote("to its peak of {} % at", "{:.1f}")),
    ("06-softmax", "overfit", r"highest validation accuracy: .* at epoch (\d+)", quote("% at epoch {}, and then", "{:.0f}")),
    ("06-softmax", "overfit", r"highest validation accuracy: ([\d.]+)%", ("above", r"validation accuracy: ([\d.]+)% at epoch")),
    ("06-softmax", "overfit", r"highest validation accuracy: ([\d.]+)%", ("above", r", ([\d.]+)% at epoch 60")),
    # choosing a size: the two best are closer than one standard error
    ("06-softmax", "choose-size", r"one standard error .*: ([\d.]+) points", quote("wobbles by about {} points", "{:.1f}")),
    ("06-softmax", "choose-size", r"two best sizes: ([\d.]+) points", quote("two best sizes, {} points apart", "{:.1f}")),
    ("06-softmax", "choose-size", r"two best sizes: ([\d.]+) points", ("below", r"one standard error .*: ([\d.]+) points")),
    # the pad's preparation costs about one and a half points
    ("06-softmax", "pad-accuracy", r"lost: ([\d.]+) points", quote("About {} points are lost", "{:.1f}")),
    ("06-softmax", "pad-accuracy", r"read directly:\s+([\d.]+)%", quote("({} % read directly", "{:.1f}")),
    ("06-softmax", "pad-accuracy", r"preparing:\s+([\d.]+)%", quote("{} % through the", "{:.1f}")),
    ("06-softmax", "clipping-matters", r"training digits: ([\d.]+)%", quote("its training accuracy, {} %", "{:.2f}")),
    ("06-softmax", "linear-baseline", r"no hidden layer:\s+test accuracy ([\d.]+)%", quote("reads about {} % of the test", "{:.1f}")),
    ("07-libraries", "compare", r"parameters:\s+ours (\d+)", quote("the same {} numbers", "{:,.0f}")),
    ("07-libraries", "same-function", r"probabilities: (\S+)\n", ("below", 1e-12)),
    # scikit-learn's time and ours are of the same order (measured 0.5 to 2.3 times, engine and load apart)
    ("07-libraries", "sklearn-more", r"took ([\d.]+) times as long", ("above", 0.2)),
    ("07-libraries", "sklearn-more", r"took ([\d.]+) times as long", ("below", 5.0)),
]


def prose_of(stem):
    text = (REPO / "chapters" / f"{stem}.qmd").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def printed(run, label, pattern):
    cells = [c for c in run.cells if c.cell.label == label]
    assert cells, f"{run.chapter}: no cell labelled {label!r} ran"
    found = re.search(pattern, cells[0].stdout)
    assert found, f"{run.chapter} cell {label!r} printed nothing matching {pattern!r}:\n{cells[0].stdout}"
    return found[1], cells[0].stdout


def test_every_row_names_a_chapter_and_each_quote_is_in_its_prose():
    for stem, label, _, check in NUMBERS:
        assert (REPO / "chapters" / f"{stem}.qmd").exists(), stem
        if isinstance(check, dict):
            template = re.sub(r"\s+", " ", check["prose"].replace("{}", "\0"))
            head, _, tail = template.partition("\0")
            assert head.replace("{{", "{").replace("}}", "}") in prose_of(stem), (stem, label, check)


def test_chapter_4_and_gradient_check_draw_the_same_line():
    """The chapters call a gradient check passed at 1e-7 or below; pylib's check passes there too."""
    source = (REPO / "pylib" / "src" / "pylib" / "gradcheck.py").read_text(encoding="utf-8")
    assert re.search(r"^THRESHOLD = 1e-7$", source, re.M), "pylib's gradient_check threshold is not 1e-7"
    assert r"passed at $10^{-7}$ or below" in prose_of("04-gradient-descent")


def test_the_home_page_counts_the_chapters():
    words = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
    home = re.sub(r"\s+", " ", (REPO / "index.qmd").read_text(encoding="utf-8"))
    assert f"Over {words[len(chapter_files(REPO))]} short chapters" in home


def chapter_rows():
    stems = sorted({row[0] for row in NUMBERS})
    return [pytest.param(stem, engine, id=f"{stem}-{engine}") for stem in stems for engine in ENGINES]


@pytest.mark.parametrize(("stem", "engine"), chapter_rows())
def test_quoted_numbers_are_the_printed_ones(stem, engine, run_chapter, project_wheels, project_site):
    run = run_chapter(REPO / "chapters" / f"{stem}.qmd", engine, project_wheels, project_site)
    assert run.ok, run.failure_report()
    text = prose_of(stem)
    problems = []
    for row_stem, label, pattern, check in NUMBERS:
        if row_stem != stem:
            continue
        value, output = printed(run, label, pattern)
        if isinstance(check, dict):
            shown = check["fmt"].format(float(value))
            expected = re.sub(r"\s+", " ", check["prose"].format(shown))
            if expected not in text:
                problems.append(f"cell {label!r} prints {value}; the prose should say {expected!r}")
        elif check == "equals-finite-difference":
            numerical = re.search(r"finite difference:\s+(\S+)\n", output)[1]
            if value != numerical:
                problems.append(f"the prose says all ten digits agree; printed {value} and {numerical}")
        else:
            relation, bound = check
            if isinstance(bound, str):                  # another number the cell prints
                other = re.search(bound, output)
                assert other, f"{stem} cell {label!r} printed nothing matching {bound!r}:\n{output}"
                bound = float(other[1])
            holds = float(value) < bound if relation == "below" else float(value) > bound
            if not holds:
                problems.append(f"cell {label!r} prints {value}; the prose says it is {relation} {bound}")
    assert not problems, f"{stem} ({engine}):\n" + "\n".join(problems)
