package dev.dhcpcluster.bootstrap.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), written from its
 * specification, so that the tests read {@code /metrics} the way a Prometheus server would and do
 * not trust the library that wrote it.
 *
 * <p>What it checks, beyond the syntax of each line: every line ends with a line feed; a metric
 * has at most one {@code # HELP} and one {@code # TYPE}, and its {@code TYPE} comes before its
 * first sample; the lines of a metric are grouped together; a sample's labels are distinct and
 * not reserved ({@code __...}); no series appears twice; counters are not negative; histogram
 * buckets carry {@code le}, ascend, end at {@code +Inf}, are cumulative and agree with
 * {@code _count}. Anything else is a {@link MalformedException} naming the line.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** Input that is not the text format; the message names the line. */
    static final class MalformedException extends Exception {
        MalformedException(int line, String problem) {
            super("line " + line + ": " + problem);
        }

        /** A problem of the whole scrape rather than of one line. */
        MalformedException(String problem) {
            super(problem);
        }
    }

    /**
     * One sample line.
     *
     * @param name the sample's name ({@code x_bucket} for a bucket of histogram {@code x})
     * @param labels its labels, by name
     * @param value its value
     * @param timestamp its timestamp in milliseconds, if it has one
     */
    record Sample(String name, Map<String, String> labels, double value, OptionalLong timestamp) {
        Sample {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        }
    }

    /**
     * One metric family: its name, type ({@code untyped} when not declared), help and samples.
     */
    record Family(String name, String type, String help, List<Sample> samples) {
        Family {
            samples = List.copyOf(samples);
        }
    }

    /** A whole scrape, its families in the order they appeared. */
    record Exposition(Map<String, Family> families) {

        Exposition {
            families = Collections.unmodifiableMap(new LinkedHashMap<>(families));
        }

        /** The family named {@code name}; fails the test if there is none. */
        Family family(String name) {
            Family family = families.get(name);
            if (family == null) {
                throw new AssertionError("no metric " + name + " in the scrape; it has " + families.keySet());
            }
            return family;
        }

        /**
         * The value of the sample named {@code name} whose labels are exactly {@code labels}
         * (name, value, name, value...); fails the test if there is none.
         */
        double value(String name, String... labels) {
            Map<String, String> wanted = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            for (Family family : families.values()) {
                for (Sample sample : family.samples()) {
                    if (sample.name().equals(name) && sample.labels().equals(wanted)) {
                        return sample.value();
                    }
                }
            }
            throw new AssertionError("no sample " + name + wanted + " in the scrape");
        }
    }

    private PrometheusText() {
    }

    /** Parses a whole scrape. */
    static Exposition parse(String text) throws MalformedException {
        return new Parser().parse(text);
    }

    private static final class Parser {
        private final Map<String, String> types = new HashMap<>();
        private final Map<String, String> helps = new HashMap<>();
        private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
        private final Set<String> closed = new HashSet<>();
        private final Set<String> series = new HashSet<>();
        private String current;
        private int line;

        Exposition parse(String text) throws MalformedException {
            Objects.requireNonNull(text, "text");
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new MalformedException(text.split("\n", -1).length, "the last line does not end with a line feed");
            }
            String[] lines = text.split("\n", -1);
            // The split leaves one empty string after the final line feed.
            for (int i = 0; i < lines.length - 1; i++) {
                line = i + 1;
                String content = lines[i];
                if (content.indexOf('\r') >= 0) {
                    throw new MalformedException(line, "carriage return in a line");
                }
                if (content.isBlank()) {
                    continue;
                }
                if (content.startsWith("#")) {
                    comment(content);
                } else {
                    sample(content);
                }
            }
            Map<String, Family> families = new LinkedHashMap<>();
            for (Map.Entry<String, List<Sample>> entry : samples.entrySet()) {
                String name = entry.getKey();
                Family family = new Family(name, types.getOrDefault(name, "untyped"), helps.getOrDefault(name, ""),
                        entry.getValue());
                check(family);
                families.put(name, family);
            }
            return new Exposition(families);
        }

        private void comment(String content) throws MalformedException {
            String[] parts = content.split("[ \t]+", 4);
            if (parts.length < 2 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                return; // Any other comment is allowed and means nothing.
            }
            if (parts.length < 3) {
                throw new MalformedException(line, parts[1] + " without a metric name");
            }
            String name = parts[2];
            requireMetricName(name);
            enter(name);
            if (parts[1].equals("HELP")) {
                if (helps.containsKey(name)) {
                    throw new MalformedException(line, "a second HELP for " + name);
                }
                helps.put(name, parts.length == 4 ? unescapeHelp(parts[3]) : "");
            } else {
                if (types.containsKey(name)) {
                    throw new MalformedException(line, "a second TYPE for " + name);
                }
                if (!samples.get(name).isEmpty()) {
                    throw new MalformedException(line, "TYPE for " + name + " after its first sample");
                }
                if (parts.length != 4 || !TYPES.contains(parts[3])) {
                    throw new MalformedException(line, "TYPE of " + name + " is not one of " + TYPES);
                }
                types.put(name, parts[3]);
            }
        }

        private void sample(String content) throws MalformedException {
            Cursor at = new Cursor(content);
            String name = at.take(METRIC_NAME, "a metric name");
            Map<String, String> labels = new LinkedHashMap<>();
            if (at.peek() == '{') {
                at.next();
                labels(at, labels);
            }
            if (!at.blank()) {
                throw new MalformedException(line, "no blank between " + name + " and its value");
            }
            double value = value(at.token());
            OptionalLong timestamp = OptionalLong.empty();
            if (at.blank() && !at.atEnd()) {
                String token = at.token();
                if (!TIMESTAMP.matcher(token).matches()) {
                    throw new MalformedException(line, "timestamp " + token + " is not an integer");
                }
                try {
                    timestamp = OptionalLong.of(Long.parseLong(token));
                } catch (NumberFormatException e) {
                    throw new MalformedException(line, "timestamp " + token + " is out of range");
                }
                at.blank();
            }
            if (!at.atEnd()) {
                throw new MalformedException(line, "unexpected text after the value: " + content.substring(at.position));
            }
            String family = familyOf(name);
            enter(family);
            if (!series.add(name + new TreeMap<>(labels))) {
                throw new MalformedException(line, "a second sample of " + name + labels);
            }
            samples.get(family).add(new Sample(name, labels, value, timestamp));
        }

        private void labels(Cursor at, Map<String, String> labels) throws MalformedException {
            at.skipBlanks();
            while (at.peek() != '}') {
                String label = at.take(LABEL_NAME, "a label name");
                if (label.startsWith("__")) {
                    throw new MalformedException(line, "label name " + label + " is reserved");
                }
                at.skipBlanks();
                at.expect('=');
                at.skipBlanks();
                at.expect('"');
                StringBuilder value = new StringBuilder();
                while (true) {
                    int c = at.next();
                    if (c == -1) {
                        throw new MalformedException(line, "label value of " + label + " is not closed");
                    }
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        int escaped = at.next();
                        switch (escaped) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new MalformedException(line, "bad escape in the label value of " + label);
                        }
                    } else {
                        value.append((char) c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new MalformedException(line, "label " + label + " appears twice");
                }
                at.skipBlanks();
                if (at.peek() == ',') {
                    at.next();
                    at.skipBlanks();
                } else if (at.peek() != '}') {
                    throw new MalformedException(line, "expected , or } after the label " + label);
                }
            }
            at.next();
        }

        private double value(String token) throws MalformedException {
            switch (token) {
                case "NaN":
                    return Double.NaN;
                case "+Inf":
                case "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    if (!FLOAT.matcher(token).matches()) {
                        throw new MalformedException(line, "value " + token + " is not a number");
                    }
                    return Double.parseDouble(token);
            }
        }

        /** The family a sample belongs to: its own name, or the histogram or summary its suffix names. */
        private String familyOf(String name) {
            if (types.containsKey(name)) {
                return name;
            }
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    String base = name.substring(0, name.length() - suffix.length());
                    String type = types.get(base);
                    if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                        return base;
                    }
                }
            }
            return name;
        }

        /** Makes {@code family} the current group; a family whose group ended cannot come back. */
        private void enter(String family) throws MalformedException {
            if (family.equals(current)) {
                return;
            }
            if (closed.contains(family)) {
                throw new MalformedException(line, "the lines of " + family + " are not grouped together");
            }
            if (current != null) {
                closed.add(current);
            }
            current = family;
            samples.computeIfAbsent(family, name -> new ArrayList<>());
        }

        private void check(Family family) throws MalformedException {
            for (Sample sample : family.samples()) {
                if (family.type().equals("counter") && !(sample.value() >= 0)) {
                    throw new MalformedException("counter " + sample.name() + " is " + sample.value());
                }
            }
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
        }

        private void checkHistogram(Family family) throws MalformedException {
            Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
            Map<Map<String, String>, Double> counts = new HashMap<>();
            for (Sample sample : family.samples()) {
                if (sample.name().equals(family.name() + "_bucket")) {
                    if (!sample.labels().containsKey("le")) {
                        throw new MalformedException("bucket of " + family.name() + " without le");
                    }
                    Map<String, String> rest = new TreeMap<>(sample.labels());
                    rest.remove("le");
                    buckets.computeIfAbsent(rest, key -> new ArrayList<>()).add(sample);
                } else if (sample.name().equals(family.name() + "_count")) {
                    counts.put(sample.labels(), sample.value());
                } else if (!sample.name().equals(family.name() + "_sum")) {
                    throw new MalformedException("histogram " + family.name() + " has a sample " + sample.name());
                }
            }
            for (Map.Entry<Map<String, String>, List<Sample>> entry : buckets.entrySet()) {
                double previousBound = Double.NEGATIVE_INFINITY;
                double previousCount = 0;
                for (Sample bucket : entry.getValue()) {
                    double bound = value(bucket.labels().get("le"));
                    if (!(bound > previousBound) || bucket.value() < previousCount) {
                        throw new MalformedException("buckets of " + family.name() + entry.getKey()
                                + " are not ascending and cumulative");
                    }
                    previousBound = bound;
                    previousCount = bucket.value();
                }
                if (previousBound != Double.POSITIVE_INFINITY) {
                    throw new MalformedException("buckets of " + family.name() + " do not end at +Inf");
                }
                Double count = counts.get(entry.getKey());
                if (count != null && count != previousCount) {
                    throw new MalformedException(family.name() + "_count " + count + " is not the +Inf bucket "
                            + previousCount);
                }
            }
        }

        private String unescapeHelp(String text) throws MalformedException {
            StringBuilder help = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '\\') {
                    help.append(c);
                    continue;
                }
                if (++i == text.length()) {
                    throw new MalformedException(line, "HELP ends in a lone backslash");
                }
                switch (text.charAt(i)) {
                    case '\\' -> help.append('\\');
                    case 'n' -> help.append('\n');
                    default -> throw new MalformedException(line, "bad escape in HELP: \\" + text.charAt(i));
                }
            }
            return help.toString();
        }

        private void requireMetricName(String name) throws MalformedException {
            if (!METRIC_NAME.matcher(name).matches()) {
                throw new MalformedException(line, "bad metric name " + name);
            }
        }

        /** Reads one line, character by character. */
        private final class Cursor {
            private final String text;
            private int position;

            Cursor(String text) {
                this.text = text;
            }

            int peek() {
                return position < text.length() ? text.charAt(position) : -1;
            }

            int next() {
                return position < text.length() ? text.charAt(position++) : -1;
            }

            boolean atEnd() {
                return position == text.length();
            }

            /** Skips spaces and tabs; true if there was at least one. */
            boolean blank() {
                int start = position;
                skipBlanks();
                return position > start;
            }

            void skipBlanks() {
                while (peek() == ' ' || peek() == '\t') {
                    position++;
                }
            }

            String token() throws MalformedException {
                int start = position;
                while (position < text.length() && text.charAt(position) != ' ' && text.charAt(position) != '\t') {
                    position++;
                }
                if (start == position) {
                    throw new MalformedException(line, "missing value");
                }
                return text.substring(start, position);
            }

            String take(Pattern pattern, String what) throws MalformedException {
                var matcher = pattern.matcher(text).region(position, text.length());
                if (!matcher.lookingAt()) {
                    throw new MalformedException(line, "expected " + what + " at column " + (position + 1));
                }
                position = matcher.end();
                return matcher.group();
            }

            void expect(char c) throws MalformedException {
                if (next() != c) {
                    throw new MalformedException(line, "expected " + c + " at column " + position);
                }
            }
        }
    }
}
