package dev.vitals.api.http;

/** Ends a request with a {@link Problem}; thrown by the HTTP layer's own checks (401, 413, 415). */
final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    ProblemException(int status, String detail) {
        super(detail);
        this.problem = new Problem(status, detail);
    }

    Problem problem() {
        return problem;
    }
}
