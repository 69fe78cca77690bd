package dev.dhcpcluster.core.dhcp;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * How one DHCP option is configured and shown: its code, its Kea name, the type of its data and
 * whether the data is a comma-separated list of such values.
 *
 * @param code the option code, 1-254
 * @param name the name an operator writes in the config file, as Kea spells it
 * @param type the data type of one value
 * @param array true if the option holds one or more values ({@code "198.18.0.1, 198.18.0.2"})
 */
public record OptionDefinition(int code, String name, OptionType type, boolean array) {

    public OptionDefinition {
        if (code <= OptionCode.PAD || code >= OptionCode.END) {
            throw new IllegalArgumentException("option code must be 1-254, not " + code);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (array && type == OptionType.BINARY) {
            throw new IllegalArgumentException("binary data is one value, never an array");
        }
    }

    /**
     * Turns configuration text into the option's wire value, as Kea reads {@code data} with
     * {@code csv-format}: with {@code csvFormat} true the text is written in the option's type
     * ({@code "198.18.0.1, 198.18.0.2"}, {@code "example.org"}, {@code "1500"}); with it false, or
     * for binary options, the text is hex ({@code "0a:0b:0c"}, {@code "0a0b0c"}, {@code "0a 0b"}).
     *
     * @throws IllegalArgumentException naming the option and what is wrong with the data
     */
    public byte[] parse(String data, boolean csvFormat) {
        if (data == null) {
            throw invalid("data is missing", null);
        }
        try {
            if (!csvFormat || type == OptionType.BINARY) {
                byte[] value = OptionCatalog.parseHex(data);
                checkLength(value.length);
                return value;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (array) {
                String[] items = data.split(",", -1);
                for (String item : items) {
                    String trimmed = item.trim();
                    if (trimmed.isEmpty()) {
                        throw new IllegalArgumentException("empty value in the list \"" + data + "\"");
                    }
                    type.write(trimmed, out);
                }
            } else {
                type.write(type == OptionType.STRING ? data : data.trim(), out);
            }
            return out.toByteArray();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), e);
        }
    }

    /**
     * The wire value as text in this option's type (the form {@link #parse} reads), or as hex if
     * the octets do not fit the type.
     */
    public String format(byte[] value) {
        int fixed = type.fixedLength();
        try {
            if (fixed == 0) {
                return type.read(value, 0, value.length);
            }
            if (value.length == 0 || value.length % fixed != 0 || (!array && value.length != fixed)) {
                return OptionCatalog.formatHex(value, 0, value.length);
            }
            StringBuilder text = new StringBuilder();
            for (int offset = 0; offset < value.length; offset += fixed) {
                if (offset > 0) {
                    text.append(", ");
                }
                text.append(type.read(value, offset, fixed));
            }
            return text.toString();
        } catch (IllegalArgumentException e) {
            return OptionCatalog.formatHex(value, 0, value.length);
        }
    }

    private void checkLength(int length) {
        int fixed = type.fixedLength();
        if (fixed == 0) {
            return;
        }
        if (array ? length == 0 || length % fixed != 0 : length != fixed) {
            throw new IllegalArgumentException("the hex data has " + length + " octets, but " + type.keaName()
                    + (array ? " values take a multiple of " : " takes ") + fixed + " octets");
        }
    }

    private IllegalArgumentException invalid(String problem, Throwable cause) {
        return new IllegalArgumentException("option " + name + " (" + code + "): " + problem, cause);
    }
}
