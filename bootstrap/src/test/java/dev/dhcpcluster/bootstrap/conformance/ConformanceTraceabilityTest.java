package dev.dhcpcluster.bootstrap.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.conformance.ConformanceTable.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/conformance.md} and the tests in step, so that every line of the conformance
 * checklist can be followed to the tests that prove it. It reads only the repository: the page,
 * and the test sources of every module.
 */
class ConformanceTraceabilityTest {

    private static Path root;
    private static List<Line> table;
    private static List<Citations.DisplayName> displayNames;
    private static Set<String> testClasses;

    @BeforeAll
    static void readTheProject() throws IOException {
        root = projectRoot();
        table = ConformanceTable.parse(Files.readString(root.resolve("docs/conformance.md")));
        List<Path> sourceRoots = Citations.testSourceRoots(root);
        displayNames = Citations.displayNames(sourceRoots);
        testClasses = Citations.testClassNames(sourceRoots);
    }

    /**
     * The project root: the parent of this module's directory (the working directory Maven runs
     * the tests in), checked to be the reactor that lists this module.
     */
    private static Path projectRoot() throws IOException {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path parent = module.getParent();
        Path pom = parent == null ? null : parent.resolve("pom.xml");
        if (pom == null || !Files.isRegularFile(pom)
                || !Files.readString(pom).contains("<module>" + module.getFileName() + "</module>")) {
            throw new IllegalStateException(module + " is not a module of a Maven reactor: run this test from the"
                    + " project's build");
        }
        return parent;
    }

    @Test
    void theTableNumbersItsLinesFromOneWithoutGapsAndFillsEveryColumn() {
        assertTrue(table.size() > 0, "docs/conformance.md has no table rows");
        assertEquals(IntStream.rangeClosed(1, table.size()).boxed().toList(),
                table.stream().map(Line::number).toList(), "the lines of docs/conformance.md are numbered 1 to N");
        for (Line line : table) {
            assertTrue(!line.duty().isEmpty() && !line.rfc().isEmpty() && !line.testClasses().isEmpty(),
                    "line " + line.number() + " of docs/conformance.md needs a duty, an RFC and a test class");
        }
    }

    @Test
    void everyLineIsCitedByAtLeastOneTest() {
        Set<Integer> cited = displayNames.stream().flatMap(name -> name.numbers().stream()).collect(Collectors.toSet());

        List<String> uncited = table.stream()
                .filter(line -> !cited.contains(line.number()))
                .map(line -> "#" + line.number() + " (" + line.duty() + ")")
                .toList();

        assertTrue(uncited.isEmpty(), "no test display name cites " + uncited);
    }

    @Test
    void everyTestClassNamedForALineExistsAndCitesThatLine() {
        List<String> problems = new ArrayList<>();
        for (Line line : table) {
            for (String testClass : line.testClasses()) {
                if (!testClasses.contains(testClass)) {
                    problems.add("#" + line.number() + " names " + testClass + ", which is in no module's src/test/java");
                } else if (displayNames.stream().noneMatch(name -> name.testClass().equals(testClass)
                        && name.numbers().contains(line.number()))) {
                    problems.add("#" + line.number() + " names " + testClass + ", which has no test citing #"
                            + line.number());
                }
            }
        }

        assertTrue(problems.isEmpty(), "docs/conformance.md: " + String.join("; ", problems));
    }

    @Test
    void everyNumberATestCitesIsALine() {
        TreeMap<Integer, List<String>> strays = new TreeMap<>();
        for (Citations.DisplayName name : displayNames) {
            for (int number : name.numbers()) {
                if (number < 1 || number > table.size()) {
                    strays.computeIfAbsent(number, n -> new ArrayList<>())
                            .add(root.relativize(name.file()) + ": \"" + name.text() + "\"");
                }
            }
        }

        assertTrue(strays.isEmpty(), "tests cite numbers that are not lines of docs/conformance.md: " + strays);
    }

    @Test
    void aDisplayNameCitesEveryNumberTokenItHolds() {
        assertEquals(List.of(9, 13), List.copyOf(Citations.citedNumbers("#9 #13 a NAK through a relay")));
        assertEquals(List.of(3, 14), List.copyOf(Citations.citedNumbers("#3, #14 the ACK to an INFORM")));
        assertEquals(List.of(22), List.copyOf(Citations.citedNumbers("rebinding (#22) after a restart")));
        assertEquals(List.of(7), List.copyOf(Citations.citedNumbers("the ACK of #7 and #7 again")));
    }

    @Test
    void aNumberGluedToOtherTextIsNotACitation() {
        assertEquals(Set.of(), Citations.citedNumbers("C#9 and x#1 and #12a and # 5 and #"));
    }

    @Test
    void displayNamesAreReadAcrossLinesAndConcatenations() {
        String source = String.join("\n",
                "@Test",
                "@DisplayName('#1 a reply ' +",
                "        'is a BOOTREPLY')",
                "void one() {}",
                "@org.junit.jupiter.api.DisplayName( '#30 #31 with a \\'quote\\'' )",
                "void two() {}",
                "@DisplayName(NAME)",
                "void three() {}").replace('\'', '"');

        assertEquals(List.of("#1 a reply is a BOOTREPLY", "#30 #31 with a \\\"quote\\\""),
                Citations.displayNamesIn(source));
    }

    @Test
    void theScanSeesTheTestsOfEveryModule() {
        Set<Path> modules = displayNames.stream()
                .map(name -> root.relativize(name.file()).getName(0))
                .collect(Collectors.toSet());

        assertTrue(modules.containsAll(Set.of(Path.of("core"), Path.of("ports"), Path.of("bootstrap"))),
                "display names found only in " + modules);
    }
}
