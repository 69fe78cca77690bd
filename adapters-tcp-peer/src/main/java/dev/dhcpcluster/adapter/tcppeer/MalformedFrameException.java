package dev.dhcpcluster.adapter.tcppeer;

/** A frame body that is not a frame of this protocol; the connection it came on is closed. */
final class MalformedFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedFrameException(String message) {
        super(message);
    }

    MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
