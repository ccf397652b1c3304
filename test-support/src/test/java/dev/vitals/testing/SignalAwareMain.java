package dev.vitals.testing;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link JavaProcessTest} runs. It prints what it was given, then either waits for a signal
 * ({@code wait}) or exits with a code of its own ({@code exit <code>}). SIGTERM runs its shutdown hook,
 * which says so, and which halts with the code the system property {@code halt.code} gives, if any.
 */
public final class SignalAwareMain {

    static final String READY = "ready";
    static final String HOOK_RAN = "shutdown hook ran";
    static final String ENV_VARIABLE = "SIGNAL_AWARE_ENV";
    static final String PROPERTY = "signal.aware.property";
    static final String HALT_CODE_PROPERTY = "halt.code";

    private SignalAwareMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("args=" + Arrays.toString(args));
        System.out.println("env=" + System.getenv(ENV_VARIABLE));
        System.out.println("property=" + System.getProperty(PROPERTY));
        System.err.println("this line went to standard error");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(HOOK_RAN);
            System.out.flush();
            String haltCode = System.getProperty(HALT_CODE_PROPERTY);
            if (haltCode != null) {
                Runtime.getRuntime().halt(Integer.parseInt(haltCode));
            }
        }));
        if (args.length == 2 && args[0].equals("exit")) {
            System.exit(Integer.parseInt(args[1]));
        }
        System.out.println(READY);
        new CountDownLatch(1).await();
    }
}
