package dev.vitals.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests that start servers on their own port, or need one where nothing listens. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port the system just handed out and that was closed again: nothing listens on it, and a server the test
     * starts next can almost always bind it.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot get a free port", e);
        }
    }
}
