package dev.dhcpcluster.bootstrap.config.kea;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Kea configuration file as Kea's own parser does: JSON with {@code //}, {@code /* *}{@code /}
 * and {@code #} comments (a {@code #} inside a string is text), trailing commas, numbers such as
 * {@code .5}, and {@code <?include "file"?>} directives, whose file is read in their place (a
 * relative name is taken relative to the including file's directory).
 */
final class KeaFileReader {

    /** Kea's include directive; its file name is a JSON-like string without escapes. */
    private static final Pattern INCLUDE = Pattern.compile("<\\?include\\s+\"([^\"]*)\"\\s*\\?>");
    /** Deep enough for any real layout, shallow enough to stop a file that includes itself. */
    private static final int MAX_INCLUDE_DEPTH = 8;

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The file's JSON, and a note for each include directive that was read in place. */
    record Read(JsonNode root, List<KeaNote> notes) {
    }

    Read read(Path file) throws KeaImportException {
        List<KeaNote> notes = new ArrayList<>();
        String text = expand(file, notes, 0);
        if (text.isBlank()) {
            throw new KeaImportException(file + ": is empty; a Kea configuration is a JSON object holding \"Dhcp4\"");
        }
        try {
            return new Read(mapper.readTree(text), List.copyOf(notes));
        } catch (JsonProcessingException e) {
            throw new KeaImportException(file + ": " + location(e.getLocation(), notes) + "not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static String expand(Path file, List<KeaNote> notes, int depth) throws KeaImportException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeaImportException(file + ": does not exist");
        } catch (IOException e) {
            throw new KeaImportException(file + ": cannot be read: " + e.getMessage());
        }
        Matcher matcher = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            if (depth >= MAX_INCLUDE_DEPTH) {
                throw new KeaImportException(file + ": includes nested more than " + MAX_INCLUDE_DEPTH
                        + " deep (does a file include itself?)");
            }
            Path included = file.toAbsolutePath().getParent().resolve(matcher.group(1));
            notes.add(new KeaNote("<?include \"" + matcher.group(1) + "\"?>", KeaNote.Kind.NOTE,
                    "read " + included + " in its place"));
            matcher.appendReplacement(out, Matcher.quoteReplacement(expand(included, notes, depth + 1)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String location(JsonLocation location, List<KeaNote> includes) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        String where = "line " + location.getLineNr() + ", column " + location.getColumnNr();
        return includes.isEmpty() ? where + ": " : where + " (counted with the included files in place): ";
    }
}
