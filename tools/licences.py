"""Write the third-party licence texts into licences/ and the attribution page's table.

    python -m tools.licences            (`make licences`; the code is coursekit/attribution.py)
    python -m tools.licences --check    list what differs from the committed copies; exit 1 if anything does
    python -m tools.licences --quarto-section
                                        the page's Quarto section, from the Quarto rendering (the pre-render)
"""
import argparse
import sys

from coursekit import attribution


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed copies, write nothing")
    parser.add_argument("--quarto-section", action="store_true",
                        help="write the page's section on Quarto's files, from the Quarto that renders")
    args = parser.parse_args(argv)
    try:
        if args.quarto_section:
            written = attribution.write_quarto_section(attribution.rendering_quarto_share())
            print(f"licences: Quarto's section in {written.relative_to(attribution.REPO)}")
            return 0
        projects = attribution.third_party_projects()
    except attribution.AttributionError as error:
        sys.exit(f"licences: error: {error}")
    if args.check:
        found = attribution.differences(projects)
        for line in found:
            print(f"licences: {line}")
        return 1 if found else 0
    attribution.write(projects)
    print(f"licences: {len(projects)} projects, texts in {attribution.LICENCES}, table in {attribution.PAGE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
