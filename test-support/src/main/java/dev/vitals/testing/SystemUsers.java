package dev.vitals.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.stream.Stream;

/** The system users that servers of a test's own run as (Debian's rabbitmq, postgres). */
final class SystemUsers {

    private SystemUsers() {
    }

    /** True when the tests run as root, which hands their servers' directories to the servers' users. */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Hands {@code directory} and everything in it to {@code user} and the group of the same name, when the tests run
     * as root; else leaves them as they are (the tests then run as that user, or cannot start the server).
     */
    static void giveTo(String user, Path directory) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        var owner = users.lookupPrincipalByName(user);
        var group = users.lookupPrincipalByGroupName(user);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.toList()) {
                Files.setOwner(path, owner);
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
            }
        }
    }
}
