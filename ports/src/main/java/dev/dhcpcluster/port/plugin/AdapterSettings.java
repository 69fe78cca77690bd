package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One adapter's section of the node file, read by the adapter field by field.
 *
 * <p>Each getter returns the field's value if it is present and valid. If it is present but not
 * valid (a string where a number belongs, a port out of range), the getter records a
 * {@link SettingsProblem} naming the field's JSON path, and returns empty, so that the adapter
 * reads on and every problem of the file is reported at once. A field that is absent is not a
 * problem unless the adapter says so with {@link #require}.
 *
 * <p>The settings remember which fields were read: a field the adapter never read is one it does
 * not know, and the node refuses it as unknown ({@link #unread()}), as it refuses a misspelt field
 * of its own sections.
 *
 * <p>The values are JSON's, as JDK objects: {@link String}, {@link Number}, {@link Boolean},
 * {@link List} and {@link Map} with string keys. Not thread-safe: one adapter reads its settings on
 * one thread.
 */
public final class AdapterSettings {

    private final String path;
    private final Map<String, Object> values;
    private final Path dataDirectory;
    private final List<SettingsProblem> problems;
    private final Set<String> read = new TreeSet<>();
    private final List<AdapterSettings> sections = new ArrayList<>();
    private final Map<String, String> interfaces;

    private AdapterSettings(String path, Map<String, ?> values, Path dataDirectory, List<SettingsProblem> problems,
            Map<String, String> interfaces) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.problems = problems;
        this.interfaces = interfaces;
        if (!dataDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the data directory must be absolute, not " + dataDirectory);
        }
    }

    /**
     * Settings read from {@code values}.
     *
     * @param path the section's JSON path in the node file, for messages ({@code transport})
     * @param values the section's fields, without {@code "type"}
     * @param dataDirectory the node's data directory, against which {@link #file} resolves a
     *     relative path
     */
    public static AdapterSettings of(String path, Map<String, ?> values, Path dataDirectory) {
        return new AdapterSettings(path, values, dataDirectory, new ArrayList<>(), new LinkedHashMap<>());
    }

    /** The section's JSON path in the node file. */
    public String path() {
        return path;
    }

    /** The node's data directory, absolute. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The section as written: every field, read or not. */
    public Map<String, Object> values() {
        return values;
    }

    /** Whether the field is present (and not {@code null}); counts as reading it. */
    public boolean has(String name) {
        read.add(name);
        return values.get(name) != null;
    }

    /** Records that each of the named fields is required, for each that is absent. */
    public void require(String... names) {
        for (String name : names) {
            if (!has(name)) {
                problem(name, "is required");
            }
        }
    }

    /** A string field. */
    public Optional<String> string(String name) {
        return value(name, String.class, "a string");
    }

    /** A boolean field. */
    public Optional<Boolean> bool(String name) {
        return value(name, Boolean.class, "true or false");
    }

    /** An integer field within {@code [min, max]}. */
    public Optional<Integer> integer(String name, int min, int max) {
        return longInteger(name, min, max).map(Math::toIntExact);
    }

    /** An integer field within {@code [min, max]}, as a long. */
    public Optional<Long> longInteger(String name, long min, long max) {
        Optional<Number> number = value(name, Number.class, "an integer");
        if (number.isEmpty()) {
            return Optional.empty();
        }
        Number value = number.get();
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            problem(name, "must be an integer, not " + value);
            return Optional.empty();
        }
        long exact = value.longValue();
        if (exact < min || exact > max) {
            problem(name, "must be " + min + "-" + max + ", not " + exact);
            return Optional.empty();
        }
        return Optional.of(exact);
    }

    /** A duration given in whole seconds, at least {@code min} and at most {@code max}. */
    public Optional<Duration> seconds(String name, Duration min, Duration max) {
        return longInteger(name, min.toSeconds(), max.toSeconds()).map(Duration::ofSeconds);
    }

    /** A dotted-quad IPv4 address field. */
    public Optional<Ipv4Address> address(String name) {
        Optional<String> text = string(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ipv4Address.parse(text.get()));
        } catch (IllegalArgumentException e) {
            problem(name, quote(text.get()) + " is not an IPv4 address (dotted quad, like 198.18.0.1)");
            return Optional.empty();
        }
    }

    /** A file path field, resolved against the node's data directory if relative. */
    public Optional<Path> file(String name) {
        Optional<String> text = string(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().isBlank()) {
            problem(name, "must not be empty");
            return Optional.empty();
        }
        try {
            return Optional.of(dataDirectory.resolve(text.get()).normalize());
        } catch (InvalidPathException e) {
            problem(name, "is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }

    /** A list of strings; empty if absent. */
    public List<String> strings(String name) {
        Optional<List<?>> list = value(name, List.class, "a list of strings").map(any -> (List<?>) any);
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.get().size(); i++) {
            Object item = list.get().get(i);
            if (item instanceof String text) {
                strings.add(text);
            } else {
                problem(name + "[" + i + "]", "must be a string");
            }
        }
        return List.copyOf(strings);
    }

    /**
     * The name of a network interface of the host, such as {@code eth1}. The node checks, when it
     * starts and in {@code config check}, that the host has it ({@link #networkInterfaces()}).
     */
    public Optional<String> networkInterface(String name) {
        Optional<String> text = string(name);
        if (text.isPresent() && !validInterfaceName(text.get())) {
            problem(name, quote(text.get()) + " is not an interface name");
            return Optional.empty();
        }
        text.ifPresent(interfaceName -> interfaces.put(path + "." + name, interfaceName));
        return text;
    }

    /**
     * A list of network interface names, each once; empty if absent. Each is checked against the
     * host as {@link #networkInterface} is.
     */
    public List<String> networkInterfaces(String name) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        List<String> listed = strings(name);
        for (int i = 0; i < listed.size(); i++) {
            String interfaceName = listed.get(i);
            String item = name + "[" + i + "]";
            if (!validInterfaceName(interfaceName)) {
                problem(item, quote(interfaceName) + " is not an interface name");
            } else if (!seen.add(interfaceName)) {
                problem(item, quote(interfaceName) + " is listed twice");
            } else {
                names.add(interfaceName);
                interfaces.put(path + "." + item, interfaceName);
            }
        }
        return List.copyOf(names);
    }

    /**
     * The network interfaces read through {@link #networkInterface} and {@link #networkInterfaces},
     * here and in nested sections, by the JSON path of their field.
     */
    public Map<String, String> networkInterfaces() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
    }

    /**
     * A nested object, read the same way: its problems and unread fields are this section's, under
     * the nested path.
     */
    public Optional<AdapterSettings> section(String name) {
        Optional<Map<?, ?>> map = value(name, Map.class, "an object").map(any -> (Map<?, ?>) any);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.get().entrySet()) {
            fields.put(String.valueOf(entry.getKey()), entry.getValue());
        }
        AdapterSettings section = new AdapterSettings(path + "." + name, fields, dataDirectory, problems, interfaces);
        sections.add(section);
        return Optional.of(section);
    }

    /** Records a problem with the named field of this section. */
    public void problem(String name, String message) {
        problems.add(new SettingsProblem(path + "." + name, message));
    }

    /** Every problem recorded so far, in this section and its nested ones, in the order found. */
    public List<SettingsProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * The fields present that nobody read, here and in the nested sections read, each as a
     * problem naming it and the fields this section does take.
     */
    public List<SettingsProblem> unread() {
        List<SettingsProblem> unknown = new ArrayList<>();
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                unknown.add(new SettingsProblem(path + "." + name, read.isEmpty()
                        ? "unknown field (this section takes none)"
                        : "unknown field (known fields here: " + String.join(", ", read) + ")"));
            }
        }
        sections.forEach(section -> unknown.addAll(section.unread()));
        return unknown;
    }

    private <T> Optional<T> value(String name, Class<T> type, String expected) {
        read.add(name);
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            problem(name, "must be " + expected);
            return Optional.empty();
        }
        return Optional.of(type.cast(value));
    }

    /** A name Linux could give an interface: 1 to 15 characters, none of them a space, a slash or a control character. */
    private static boolean validInterfaceName(String name) {
        return !name.isEmpty() && name.length() <= 15 && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '/');
    }

    /** Text as the messages quote it: in double quotes, with control characters escaped. */
    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    @Override
    public String toString() {
        return path + " " + values;
    }
}
