package io.reportpipes.camelk;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Maven project the Camel K operator generates for a manifest whose camel trait says
 * {@code runtimeProvider: plain-quarkus} (apache/camel-k {@code pkg/builder/quarkus.go}), built as the operator
 * builds it: the Quarkus platform BOMs at the pinned {@code runtimeVersion}, {@code camel:x} as
 * {@code camel-quarkus-x} (checked against the operator's catalog first), {@code mvn:} entries as they are, the
 * catalog's runtime dependencies, and {@code quarkus-maven-plugin}'s fast-jar under {@code target/quarkus-app}.
 * <p>
 * Where the registry reached here lacks a Camel Quarkus extension (its runtime or deployment artifact), the plain
 * Camel component stands in for it, and {@link #standIns()} says which: the only liberty taken with the build.
 */
public final class CamelKBuild {

    /** The runtime dependencies of the operator's plain-quarkus catalog (Camel K 2.11: core and observability). */
    private static final List<String> RUNTIME = List.of("camel-quarkus-core", "camel-quarkus-observability-services");
    /** What a stand-in needs beside the component: the platform BOM excludes these from the plain jar. */
    private static final Map<String, List<String>> STAND_IN_EXTRAS = Map.of(
            "quartz", List.of("org.quartz-scheduler:quartz"),
            // the AWS SDK's HTTP client logs through commons-logging, which Quarkus routes to its own logging
            "aws2-s3", List.of("org.jboss.logging:commons-logging-jboss-logging"));
    private static final Pattern UNRESOLVED = Pattern.compile("org\\.apache\\.camel\\.quarkus:camel-quarkus-([a-z0-9-]+?)(-deployment)?:(?:jar|pom)");

    private final String name;
    private final String runtimeVersion;
    private final Set<String> extensions = new TreeSet<>();
    private final List<String> mavenDependencies = new ArrayList<>();
    private final List<String> standIns = new ArrayList<>();

    private CamelKBuild(String name, String runtimeVersion) {
        this.name = name;
        this.runtimeVersion = runtimeVersion;
    }

    /**
     * The build of an Integration's (or a Pipe's integration) spec: its dependencies and camel trait, plus what the
     * operator infers from its flows (the loader and the components, given here as {@code camel:x}).
     */
    public static CamelKBuild of(String name, Map<String, Object> integrationSpec, List<String> inferred)
            throws IOException {
        Map<String, Object> camel = Manifests.map(Manifests.map(integrationSpec.get("traits")).get("camel"));
        if (!"plain-quarkus".equals(camel.get("runtimeProvider"))) {
            throw new AssertionError(name + ": traits.camel.runtimeProvider must be plain-quarkus, not " + camel.get("runtimeProvider"));
        }
        Object version = camel.get("runtimeVersion");
        if (version == null) {
            throw new AssertionError(name + ": traits.camel.runtimeVersion is not pinned: a pod would get the operator's default platform");
        }
        CamelKBuild build = new CamelKBuild(name, version.toString());
        Set<String> catalog = catalog();
        List<String> declared = new ArrayList<>(Manifests.list(integrationSpec.get("dependencies")).stream().map(Object::toString).toList());
        declared.addAll(inferred);
        for (String dependency : declared) {
            if (dependency.startsWith("camel:")) {
                String artifact = "camel-quarkus-" + dependency.substring("camel:".length());
                if (!catalog.contains(artifact)) {
                    // the operator's words (pkg/util/camel/camel_dependencies.go)
                    throw new AssertionError(name + ": dependency " + dependency + " not found in Camel catalog");
                }
                build.extensions.add(artifact);
            } else if (dependency.startsWith("mvn:org.apache.camel.quarkus:camel-quarkus-")) {
                // the operator drops the version of every org.apache.camel* artifact: the BOM manages it
                build.extensions.add(dependency.substring("mvn:org.apache.camel.quarkus:".length()).split(":")[0]);
            } else if (dependency.startsWith("mvn:")) {
                build.mavenDependencies.add(dependency.substring("mvn:".length()));
            } else {
                throw new AssertionError(name + ": dependency " + dependency + " is neither camel: nor mvn:");
            }
        }
        build.extensions.addAll(RUNTIME);
        return build;
    }

    /** The camel-quarkus artifacts of the operator's catalog (test resource camel-k/catalog-3.15.3-artifacts.txt). */
    private static Set<String> catalog() throws IOException {
        try (var in = CamelKBuild.class.getResourceAsStream("/camel-k/catalog-3.15.3-artifacts.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toSet());
        }
    }

    /** What decides the image: the platform and the dependencies. */
    public String key() {
        return runtimeVersion + " " + extensions + " " + mavenDependencies;
    }

    public String runtimeVersion() {
        return runtimeVersion;
    }

    /** One line per extension built from a plain Camel jar instead, with the reason. */
    public List<String> standIns() {
        return standIns;
    }

    /**
     * Generates the project under {@code dir/maven} and builds it; answers the fast-jar folder (what the
     * operator copies to {@code /deployments/dependencies} of the image).
     */
    public Path build(Path dir, Path log) throws Exception {
        Path maven = dir.resolve("maven");
        Files.createDirectories(maven.resolve("src/main/resources"));
        Set<String> unserved = unserved(maven, log);
        StringBuilder dependencies = new StringBuilder();
        for (String extension : extensions) {
            String component = extension.substring("camel-quarkus-".length());
            if (unserved.contains(component)) {
                standIns.add("camel:" + component + " -> org.apache.camel:camel-" + component
                        + " (camel-quarkus-" + component + " for platform " + runtimeVersion + " is not served by the registry reached here)");
                dependencies.append(dependency("org.apache.camel:camel-" + component));
                STAND_IN_EXTRAS.getOrDefault(component, List.of()).forEach(extra -> dependencies.append(dependency(extra)));
            } else {
                dependencies.append(dependency("org.apache.camel.quarkus:" + extension));
            }
        }
        mavenDependencies.forEach(gav -> dependencies.append(dependency(gav)));
        Files.writeString(maven.resolve("pom.xml"), pom(dependencies.toString(), ""));
        // the build-time properties the operator writes (pkg/builder/quarkus.go computeApplicationProperties)
        Files.writeString(maven.resolve("src/main/resources/application.properties"), String.join("\n",
                "quarkus.package.jar.type=fast-jar",
                "quarkus.banner.enabled=false",
                "quarkus.camel.routes-discovery.enabled=false",
                "quarkus.camel.service.discovery.include-patterns=META-INF/services/org/apache/camel/datatype/converter/*,"
                        + "META-INF/services/org/apache/camel/datatype/transformer/*,META-INF/services/org/apache/camel/transformer/*",
                "quarkus.class-loading.parent-first-artifacts=org.graalvm.regex:regex", ""));
        mvn(maven, log, "package", "-Dmaven.test.skip=true");
        Path app = maven.resolve("target/quarkus-app");
        if (!Files.exists(app.resolve("quarkus-run.jar"))) {
            throw new AssertionError(name + ": the Quarkus build made no quarkus-run.jar; see " + log);
        }
        return app;
    }

    /** The extensions whose runtime or deployment artifact the registry does not serve (one Maven call). */
    private Set<String> unserved(Path maven, Path log) throws Exception {
        Path probe = maven.resolve("probe");
        Files.createDirectories(probe);
        StringBuilder dependencies = new StringBuilder();
        for (String extension : extensions) {
            dependencies.append(dependency("org.apache.camel.quarkus:" + extension));
            dependencies.append(dependency("org.apache.camel.quarkus:" + extension + "-deployment"));
        }
        Files.writeString(probe.resolve("pom.xml"), pom(dependencies.toString(), "-probe"));
        Path probeLog = probe.resolve("resolve.log");
        int code = run(probe, probeLog, "dependency:resolve", "-DexcludeTransitive=true");
        Files.writeString(log, Files.readString(probeLog), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Set<String> unserved = new LinkedHashSet<>();
        if (code != 0) {
            Matcher matcher = UNRESOLVED.matcher(Files.readString(probeLog));
            while (matcher.find()) {
                unserved.add(matcher.group(1));
            }
            if (unserved.isEmpty()) {
                throw new AssertionError(name + ": resolving the extensions failed for another reason; see " + probeLog);
            }
        }
        return unserved;
    }

    private String pom(String dependencies, String suffix) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.apache.camel.k.integration</groupId>
                  <artifactId>camel-k-integration%s</artifactId>
                  <version>1.0.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency><groupId>io.quarkus.platform</groupId><artifactId>quarkus-camel-bom</artifactId><version>%s</version><type>pom</type><scope>import</scope></dependency>
                      <dependency><groupId>io.quarkus.platform</groupId><artifactId>quarkus-bom</artifactId><version>%s</version><type>pom</type><scope>import</scope></dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                %s  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId><version>%s</version>
                        <executions><execution><id>build-integration</id><goals><goal>build</goal></goals></execution></executions>
                      </plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(suffix, runtimeVersion, runtimeVersion, dependencies, runtimeVersion);
    }

    private static String dependency(String gav) {
        String[] parts = gav.split(":");
        return "    <dependency><groupId>" + parts[0] + "</groupId><artifactId>" + parts[1] + "</artifactId>"
                + (parts.length > 2 ? "<version>" + parts[2] + "</version>" : "") + "</dependency>\n";
    }

    private static void mvn(Path project, Path log, String... goals) throws Exception {
        int code = run(project, log, goals);
        if (code != 0) {
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + project + " failed (" + code
                    + "); its last lines:\n" + tail(log, 40));
        }
    }

    /** The project's own Maven (the wrapper), batch mode, appending to the log. */
    public static int run(Path project, Path log, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B",
                "--no-transfer-progress", "-Dstyle.color=never", "-f", project.resolve("pom.xml").toString()));
        command.addAll(List.of(goals));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", goals) + " took over 15 minutes; see " + log);
        }
        return process.exitValue();
    }

    public static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Reading manifests. */
    public static final class Manifests {

        private Manifests() {
        }

        public static Map<String, Object> load(Path file) throws IOException {
            return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
        }

        @SuppressWarnings("unchecked")
        public static Map<String, Object> map(Object value) {
            return value == null ? Map.of() : (Map<String, Object>) value;
        }

        public static List<?> list(Object value) {
            return value == null ? List.of() : (List<?>) value;
        }
    }
}
