package dev.dhcpcluster.bootstrap.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %oneLineMsg}: the formatted message with its line breaks and control characters escaped
 * (see {@link LineBreaks}), so that no message, however it was built, spans two lines of the
 * readable log or forges a line of its own.
 */
public final class OneLineMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LineBreaks.escape(event.getFormattedMessage());
    }
}
