package dev.vitals.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test sources of the build, read as text: which files hold tests, and which of those Surefire leaves
 * out because of their names.
 *
 * <p>A file holds tests when a line begins with a testable annotation (JUnit Jupiter's {@code @Test},
 * {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory}, {@code @TestTemplate}, jqwik's
 * {@code @Property} and {@code @Example}), in any of its classes, nested ones included; or when its class
 * extends or implements an abstract class or interface that holds tests (a contract suite run through its
 * implementations). Abstract classes and interfaces themselves are never run, so their names do not matter.
 */
final class TestSources {

    /**
     * The names Surefire runs when its includes are left alone, as they are in this build: {@code Test*},
     * {@code *Test}, {@code *Tests}, {@code *TestCase}. Nested classes are run through the class they are in.
     */
    static final Pattern SUREFIRE_INCLUDES = Pattern.compile("Test\\w*|\\w*Test|\\w*Tests|\\w*TestCase");

    private static final Pattern TESTABLE = Pattern.compile(
            "^\\s*@(?:[\\w.]+\\.)?(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b",
            Pattern.MULTILINE);
    /** The first type declared in a file (its top-level type), up to its opening brace. */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+|static\\s+)*"
                    + "(class|interface|@interface|enum|record)\\s+(\\w+)([^{]*)\\{",
            Pattern.MULTILINE);

    private TestSources() {
    }

    /** One test source file, as far as Surefire's choice of classes cares. */
    record Source(Path path, String name, boolean runnable, boolean declaresTests, Set<String> supertypes) {
    }

    /** Reads a source file's text; {@code path} names it in results. */
    static Source parse(Path path, String text) {
        String fileName = path.getFileName().toString();
        String name = fileName.endsWith(".java") ? fileName.substring(0, fileName.length() - 5) : fileName;
        Matcher type = TOP_LEVEL_TYPE.matcher(text);
        boolean runnable = true;
        Set<String> supertypes = new HashSet<>();
        if (type.find()) {
            String modifiers = text.substring(type.start(), type.start(1));
            runnable = type.group(1).equals("class") && !modifiers.contains("abstract");
            String clauses = type.group(3);
            String withoutTypeArguments;
            while (!(withoutTypeArguments = clauses.replaceAll("<[^<>]*>", "")).equals(clauses)) {
                clauses = withoutTypeArguments; // innermost first
            }
            for (String token : clauses.split("\\bpermits\\b")[0].split("[\\s,]+")) {
                if (!token.isEmpty() && !token.equals("extends") && !token.equals("implements")) {
                    supertypes.add(token.replaceAll(".*\\.", ""));
                }
            }
        }
        return new Source(path, name, runnable, TESTABLE.matcher(text).find(), supertypes);
    }

    /**
     * The runnable classes with tests whose names Surefire does not include, so their tests never run.
     *
     * @return their paths, in the order given
     */
    static List<Path> leftOut(List<Source> sources) {
        Map<String, Source> byName = new HashMap<>();
        sources.forEach(source -> byName.putIfAbsent(source.name(), source));
        List<Path> leftOut = new ArrayList<>();
        for (Source source : sources) {
            if (source.runnable() && holdsTests(source, byName, new HashSet<>())
                    && !SUREFIRE_INCLUDES.matcher(source.name()).matches()) {
                leftOut.add(source.path());
            }
        }
        return leftOut;
    }

    private static boolean holdsTests(Source source, Map<String, Source> byName, Set<String> seen) {
        if (source.declaresTests()) {
            return true;
        }
        for (String supertype : source.supertypes()) {
            Source parent = byName.get(supertype);
            if (parent != null && seen.add(supertype) && holdsTests(parent, byName, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code .java} file under {@code src/test/java} of every module the build file {@code pom} lists. */
    static List<Source> ofBuild(Path pom) {
        Path root = pom.toAbsolutePath().getParent();
        List<Source> sources = new ArrayList<>();
        for (String module : modules(read(pom))) {
            Path tests = root.resolve(module).resolve("src/test/java");
            if (!Files.isDirectory(tests)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(tests)) {
                files.filter(file -> file.toString().endsWith(".java")).sorted()
                        .forEach(file -> sources.add(parse(root.relativize(file), read(file))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** The modules a build file lists. */
    static List<String> modules(String pom) {
        List<String> modules = new ArrayList<>();
        Matcher module = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(pom);
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
