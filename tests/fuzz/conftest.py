"""The fuzz suite's summary: how many URL patterns and cases it covered, shown after the run
whether or not pytest captures output (-s is not needed)."""

SUMMARY = []


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("fuzz: every URL pattern")
        for line in SUMMARY:
            terminalreporter.write_line(line)
