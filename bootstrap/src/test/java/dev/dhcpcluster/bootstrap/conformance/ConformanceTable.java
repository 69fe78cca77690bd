package dev.dhcpcluster.bootstrap.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of {@code docs/conformance.md}: one row per checklist line, {@code | # | duty | RFC |
 * tests |}, the test classes written as code ({@code `RequestTest`}).
 */
final class ConformanceTable {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|(.*)\\|(.*)\\|(.*)\\|\\s*$");
    private static final Pattern TEST_CLASS = Pattern.compile("`([A-Z][A-Za-z0-9_]*)`");

    /** One checklist line as the page states it. */
    record Line(int number, String duty, String rfc, Set<String> testClasses) {
    }

    private ConformanceTable() {
    }

    /** The rows of the table in {@code markdown}, in page order. */
    static List<Line> parse(String markdown) {
        List<Line> lines = new ArrayList<>();
        for (String row : markdown.split("\\R")) {
            Matcher matcher = ROW.matcher(row);
            if (!matcher.matches()) {
                continue;
            }
            Set<String> classes = new LinkedHashSet<>();
            Matcher testClass = TEST_CLASS.matcher(matcher.group(4));
            while (testClass.find()) {
                classes.add(testClass.group(1));
            }
            lines.add(new Line(Integer.parseInt(matcher.group(1)), matcher.group(2).strip(), matcher.group(3).strip(),
                    classes));
        }
        return lines;
    }
}
