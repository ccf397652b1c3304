package dev.vitals.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Requires {@code Authorization: Bearer <token>} with one of the configured tokens. Tokens are compared
 * by their SHA-256 digests with {@link MessageDigest#isEqual}, against every token, so that the time taken
 * tells nothing about how much of a token matched, nor which one.
 */
final class BearerAuth implements Handler {

    private static final String PREFIX = "Bearer ";
    /** The request attribute that holds {@link #scope}. */
    private static final String SCOPE = "vitals.auth.scope";

    private final List<byte[]> digests;

    BearerAuth(List<String> tokens) {
        this.digests = tokens.stream().map(BearerAuth::digest).toList();
    }

    boolean enabled() {
        return !digests.isEmpty();
    }

    @Override
    public void handle(Context ctx) {
        if (!enabled()) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new ProblemException(401, "this call needs an Authorization: Bearer <token> header");
        }
        byte[] given = digest(header.substring(PREFIX.length()).trim());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, given);
        }
        if (!match) {
            throw new ProblemException(401, "the bearer token is not valid");
        }
        ctx.attribute(SCOPE, HexFormat.of().formatHex(given));
    }

    /**
     * Whose request this is, for what is kept per caller (idempotency keys): the SHA-256 digest (hex) of its bearer
     * token when tokens are configured, never the token itself; {@code ""} when the API is open.
     */
    static String scope(Context ctx) {
        String scope = ctx.attribute(SCOPE);
        return scope == null ? "" : scope;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
