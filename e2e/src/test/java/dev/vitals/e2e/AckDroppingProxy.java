package dev.vitals.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the broker that passes everything through but the clients' {@code basic.ack}
 * frames: a client behind it takes deliveries, publishes and has its publishes confirmed as usual, and
 * acknowledges deliveries that the broker never hears acknowledged. Its connections going away, the broker
 * hands everything it delivered through it to other consumers, whatever the client did with it.
 *
 * <p>It reads the AMQP 0-9-1 framing of what clients send (the protocol header, then frames of a type, a
 * channel, a size, a payload and an end octet); what the broker sends passes untouched.
 */
final class AckDroppingProxy implements AutoCloseable {

    private static final int FRAME_METHOD = 1;
    private static final int CLASS_BASIC = 60;
    private static final int METHOD_ACK = 80;
    private static final int FRAME_END = 0xCE;

    private final String brokerHost;
    private final int brokerPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger acksDropped = new AtomicInteger();

    /** Listens on a free port of 127.0.0.1 for clients of the broker {@code broker} names. */
    AckDroppingProxy(URI broker) throws IOException {
        this.brokerHost = broker.getHost();
        this.brokerPort = broker.getPort() == -1 ? 5672 : broker.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("ack-dropping-proxy").start(this::accept);
    }

    /** {@code broker} with this proxy in place of the broker's host and port. */
    URI uriFor(URI broker) {
        String authority = broker.getRawUserInfo() == null ? "" : broker.getRawUserInfo() + "@";
        return URI.create(broker.getScheme() + "://" + authority + "127.0.0.1:" + server.getLocalPort()
                + broker.getRawPath());
    }

    /** The {@code basic.ack} frames kept from the broker so far. */
    int acksDropped() {
        return acksDropped.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(brokerHost, brokerPort);
                sockets.add(client);
                sockets.add(broker);
                Thread.ofVirtual().start(() -> pump(client, broker, true));
                Thread.ofVirtual().start(() -> pump(broker, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies {@code from} to {@code to} until either closes, then closes both (as a connection drop would). */
    private void pump(Socket from, Socket to, boolean fromClient) {
        try (from; to) {
            InputStream in = new BufferedInputStream(from.getInputStream());
            OutputStream out = new BufferedOutputStream(to.getOutputStream());
            if (fromClient) {
                copyFrames(new DataInputStream(in), out);
            } else {
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away: so does the other
        }
    }

    private void copyFrames(DataInputStream in, OutputStream out) throws IOException {
        byte[] protocolHeader = new byte[8];
        in.readFully(protocolHeader);
        out.write(protocolHeader);
        out.flush();
        byte[] head = new byte[7];
        while (true) {
            try {
                in.readFully(head);
            } catch (EOFException e) {
                return;
            }
            int type = head[0] & 0xFF;
            int size = ((head[3] & 0xFF) << 24) | ((head[4] & 0xFF) << 16) | ((head[5] & 0xFF) << 8) | (head[6] & 0xFF);
            byte[] payload = new byte[size];
            in.readFully(payload);
            int end = in.readUnsignedByte();
            if (end != FRAME_END) {
                throw new IOException("not an AMQP 0-9-1 frame: it ends with " + end);
            }
            boolean ack = type == FRAME_METHOD && size >= 4
                    && (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)) == CLASS_BASIC
                    && (((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF)) == METHOD_ACK;
            if (ack) {
                acksDropped.incrementAndGet();
            } else {
                out.write(head);
                out.write(payload);
                out.write(end);
            }
            if (in.available() == 0) { // nothing more read yet: what was written goes now
                out.flush();
            }
        }
    }
}
