package dev.dhcpcluster.bootstrap.config.kea;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Converts a Kea DHCPv4 configuration file into a node file ({@code dhcpcluster config
 * import-kea}). The result holds the node file's text, a note for every Kea setting that was not
 * converted or was converted with a change in meaning, and the errors the node file's own loader
 * finds in the result (none, when the node file is ready to run).
 */
public final class KeaImport {

    private final KeaFileReader reader = new KeaFileReader();
    private final ObjectMapper writer = new ObjectMapper();

    /**
     * The outcome of one import.
     *
     * @param nodeFile the converted node file, pretty-printed JSON ending in a newline
     * @param notes what was not converted or changed meaning, in file order, each with its Kea path
     * @param loadErrors what {@link ConfigLoader} refuses in {@code nodeFile}; empty when it loads
     */
    public record Result(String nodeFile, List<KeaNote> notes, List<ConfigError> loadErrors) {

        /** Copies the lists. */
        public Result {
            notes = List.copyOf(notes);
            loadErrors = List.copyOf(loadErrors);
        }
    }

    /**
     * Converts the Kea file at {@code file}.
     *
     * @throws KeaImportException if the file cannot be read, is not JSON (with Kea's comments), or
     *     holds no {@code Dhcp4} section
     */
    public Result convert(Path file) throws KeaImportException {
        KeaFileReader.Read read = reader.read(file);
        Notes notes = new Notes();
        notes.addAll(read.notes());
        ObjectNode nodeFile = new KeaConverter(notes).convert(read.root(), file.toString());
        String json;
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
            json = writer.writer(printer).writeValueAsString(nodeFile) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain values always serializes
        }
        List<ConfigError> errors = List.of();
        try {
            new ConfigLoader().parse(json, "the converted node file");
        } catch (ConfigException e) {
            errors = e.errors();
        }
        return new Result(json, notes.list(), errors);
    }
}
