package dev.dhcpcluster.bootstrap.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checklist numbers the tests of a project cite in their JUnit display names: a display name
 * cites line 22 when it holds {@code #22} as a token (at its start or after white space or an
 * opening bracket, and not followed by another digit or a letter), so {@code "#9 #13 a NAK ..."}
 * cites 9 and 13.
 */
final class Citations {

    /**
     * The annotation with its argument: one string literal, or several joined with {@code +},
     * possibly over several lines.
     */
    private static final Pattern DISPLAY_NAME = Pattern.compile(
            "@(?:org\\.junit\\.jupiter\\.api\\.)?DisplayName\\s*\\(\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+)\\)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NUMBER_TOKEN = Pattern.compile("(?:^|(?<=[\\s(\\[]))#(\\d+)(?![\\d\\p{L}])");

    /** One display name found in a test source. */
    record DisplayName(String testClass, Path file, String text) {
        /** The checklist numbers it cites, in order, each once. */
        Set<Integer> numbers() {
            return citedNumbers(text);
        }
    }

    private Citations() {
    }

    /** The numbers {@code displayName} cites. */
    static Set<Integer> citedNumbers(String displayName) {
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher matcher = NUMBER_TOKEN.matcher(displayName);
        while (matcher.find()) {
            numbers.add(Integer.parseInt(matcher.group(1)));
        }
        return numbers;
    }

    /** The display names written in one Java source, string concatenations joined. */
    static List<String> displayNamesIn(String source) {
        List<String> names = new ArrayList<>();
        Matcher annotation = DISPLAY_NAME.matcher(source);
        while (annotation.find()) {
            StringBuilder text = new StringBuilder();
            Matcher literal = STRING_LITERAL.matcher(annotation.group(1));
            while (literal.find()) {
                text.append(literal.group(1));
            }
            names.add(text.toString());
        }
        return names;
    }

    /** The test source roots of the project's modules: every {@code <module>/src/test/java}. */
    static List<Path> testSourceRoots(Path projectRoot) {
        try (Stream<Path> children = Files.list(projectRoot)) {
            return children.map(module -> module.resolve("src/test/java"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simple names of the classes in the given test source roots, from their file names. */
    static Set<String> testClassNames(List<Path> roots) {
        Set<String> names = new LinkedHashSet<>();
        for (Path file : javaFiles(roots)) {
            names.add(simpleName(file));
        }
        return names;
    }

    /** Every display name in the given test source roots. */
    static List<DisplayName> displayNames(List<Path> roots) {
        List<DisplayName> found = new ArrayList<>();
        for (Path file : javaFiles(roots)) {
            try {
                for (String text : displayNamesIn(Files.readString(file))) {
                    found.add(new DisplayName(simpleName(file), file, text));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static List<Path> javaFiles(List<Path> roots) {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(path -> path.toString().endsWith(".java") && Files.isRegularFile(path))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String simpleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }
}
