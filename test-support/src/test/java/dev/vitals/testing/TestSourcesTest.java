package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestSourcesTest {

    /**
     * The guard of the whole build: Surefire runs only the classes its includes name, and says nothing of the
     * others. Its tests run before those of the modules after it, so a class it finds fails the build early.
     */
    @Test
    void everyClassWithTestsInTheBuildIsNamedSoThatSurefireRunsIt() {
        Path pom = buildFile();
        List<TestSources.Source> sources = TestSources.ofBuild(pom);

        assertThat(sources).as("test sources found under %s", pom.getParent()).extracting(TestSources.Source::name)
                .contains("TestSourcesTest", "ThresholdsTest", "EndToEndTest");
        assertThat(TestSources.leftOut(sources))
                .as("classes with tests that Surefire never runs: name them Test*, *Test, *Tests or *TestCase")
                .isEmpty();
    }

    @Test
    void aClassWithTestsNamedOtherwiseIsLeftOut() {
        TestSources.Source properties = source("RequestBodyProperties", """
                class RequestBodyProperties {
                    @Property(tries = 400)
                    void everyBodyGets202OrA4xxProblem(@ForAll("bodies") String body) {
                    }
                }
                """);

        assertThat(TestSources.leftOut(List.of(properties))).containsExactly(properties.path());
    }

    @Test
    void everyKindOfTestCounts() {
        for (String annotation : List.of("@Test", "@org.junit.jupiter.api.Test", "@ParameterizedTest(name = \"{0}\")",
                "@RepeatedTest(3)", "@TestFactory", "@TestTemplate", "@Property", "@Example")) {
            TestSources.Source source = source("Checks",
                    "class Checks {\n    " + annotation + "\n    void check() {\n    }\n}\n");

            assertThat(TestSources.leftOut(List.of(source))).as(annotation).containsExactly(source.path());
        }
    }

    @Test
    void aTestInANestedClassCounts() {
        TestSources.Source source = source("Outer", """
                class Outer {
                    @Nested
                    class Inner {
                        @Test
                        void check() {
                        }
                    }
                }
                """);

        assertThat(TestSources.leftOut(List.of(source))).containsExactly(source.path());
    }

    @Test
    void aClassWhoseTestsAreInheritedFromAContractCounts() {
        TestSources.Source contract = source("StoreContract", """
                /** Run for each store. */
                abstract class StoreContract {
                    @Test
                    void storesATask() {
                    }
                }
                """);
        TestSources.Source h2 = source("H2Store", "class H2Store extends StoreContract {\n}\n");
        TestSources.Source named = source("PostgresStoreTest",
                "final class PostgresStoreTest\n        extends StoreContract {\n}\n");
        TestSources.Source generic = source("ListChecks", "class ListChecks implements java.util.Comparator<String>, "
                + "dev.vitals.Checks<java.util.Map<String, Integer>> {\n}\n");
        TestSources.Source checks = source("Checks",
                "interface Checks<T> {\n    @Test\n    default void check() {\n    }\n}\n");

        assertThat(TestSources.leftOut(List.of(contract, h2, named, generic, checks)))
                .containsExactly(h2.path(), generic.path());
    }

    @Test
    void annotationsInCommentsAndClassesWithoutTestsDoNotCount() {
        TestSources.Source documented = source("FakeWorker", """
                /**
                 * Plays a worker in tests; a class with
                 * @Test methods uses it.
                 */
                public final class FakeWorker {
                    // @Test is not here
                    void take() {
                    }
                }
                """);

        assertThat(TestSources.leftOut(List.of(documented))).isEmpty();
    }

    @Test
    void surefireIncludesItsDefaultNames() {
        assertThat(List.of("ThresholdsTest", "TestTasks", "ThresholdsTests", "ThresholdsTestCase"))
                .allMatch(name -> TestSources.SUREFIRE_INCLUDES.matcher(name).matches());
        assertThat(List.of("RequestBodyProperties", "TaskStoreContract", "ThresholdsTesting"))
                .noneMatch(name -> TestSources.SUREFIRE_INCLUDES.matcher(name).matches());
    }

    @Test
    void readsTheModulesOfABuildFile() {
        assertThat(TestSources.modules("""
                <modules>
                  <module>shared-model</module>
                  <module> e2e </module>
                </modules>
                """)).containsExactly("shared-model", "e2e");
    }

    private static TestSources.Source source(String name, String text) {
        return TestSources.parse(Path.of("module/src/test/java/" + name + ".java"), text);
    }

    /** The build's root {@code pom.xml}: the one above this module's (Surefire runs in the module's directory). */
    private static Path buildFile() {
        Path pom = Path.of("").toAbsolutePath().getParent().resolve("pom.xml");
        assertThat(pom).as("the build file above the module").exists();
        assertThat(Files.isRegularFile(pom)).isTrue();
        return pom;
    }
}
