package dev.vitals.broker;

import org.jspecify.annotations.Nullable;

/**
 * Whether a process is connected to the broker with its topology declared and its consumers running, and if not,
 * why: for readiness probes and health answers. Written by the code that connects
 * ({@link BrokerConnection#openAndSetUp}), read by any thread.
 */
public final class BrokerStatus {

    private final String address;
    private volatile @Nullable BrokerConnection connection;
    private volatile @Nullable String problem;

    /** @param address the broker's address without password, for the reason given while not connected */
    public BrokerStatus(String address) {
        this.address = address;
    }

    /** True once set up, while the connection is open. */
    public boolean isReady() {
        BrokerConnection current = connection;
        return current != null && current.isConnected();
    }

    /**
     * Why not ready: the last failure to connect or set up (a refused login, a queue that exists with other
     * arguments…), the lost connection being recovered, or not connected yet.
     */
    public String reason() {
        BrokerConnection current = connection;
        if (current != null) {
            return current.isConnected() ? "ready" : current.lossReason();
        }
        String failure = problem;
        return failure != null ? failure : "not connected to the message broker at " + address;
    }

    void ready(BrokerConnection connection) {
        this.problem = null;
        this.connection = connection;
    }

    void failed(String reason) {
        this.connection = null;
        this.problem = reason;
    }

    /** No longer connected: the process is stopping. */
    public void closed() {
        this.connection = null;
        this.problem = "stopping";
    }
}
