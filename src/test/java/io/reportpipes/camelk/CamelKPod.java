package io.reportpipes.camelk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Camel K pod's files and process, emulated in a folder: what the operator and the kubelet lay out for an
 * Integration on the plain-quarkus runtime (apache/camel-k {@code pkg/trait/mount.go}, {@code camel.go},
 * {@code environment.go}, {@code jvm.go}), under {@code root} instead of {@code /}. Every absolute pod path in a
 * file laid out here ({@code /etc/camel}, {@code /var/report-pipes}, {@code /tmp/report-pipes}) is moved under
 * the root the same way; nothing else is changed.
 */
public final class CamelKPod implements AutoCloseable {

    private static final List<String> POD_PATHS = List.of("/etc/camel", "/var/report-pipes", "/tmp/report-pipes");
    private final Path root;
    private final Path app;
    private final List<String> configMaps = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> userProperties = new ArrayList<>();
    private final List<String> operatorProperties = new ArrayList<>();
    private Process process;
    private Path log;

    /** A pod whose image holds the fast-jar {@code app} under /deployments/dependencies. */
    public CamelKPod(Path root, Path app) throws IOException {
        this.root = root;
        this.app = app;
        Files.createDirectories(path("/deployments"));
        for (String dir : POD_PATHS) {
            Files.createDirectories(path(dir));
        }
    }

    /** A path of the pod, under this pod's root. */
    public Path path(String podPath) {
        return root.resolve(podPath.substring(1));
    }

    /** A pod path rewritten to where it is here, in any text. */
    public String local(String text) {
        String result = text;
        for (String dir : POD_PATHS) {
            result = result.replace(dir, path(dir).toString());
        }
        return result;
    }

    /**
     * The mount trait's {@code configmap:NAME}: the kubelet's layout (a timestamped folder with the keys, the
     * {@code ..data} link to it, a link per key), listed in camel.main.cloud-properties-location. The files are
     * written in the order given.
     */
    public CamelKPod configMap(String name, Map<String, String> files) throws IOException {
        String podPath = "/etc/camel/conf.d/_configmaps/" + name;
        Path mount = path(podPath);
        Path data = mount.resolve("..2026_12_01_00_00_00.000000001");
        Files.createDirectories(data);
        Files.createSymbolicLink(mount.resolve("..data"), data.getFileName());
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(data.resolve(file.getKey()), local(file.getValue()));
            Files.createSymbolicLink(mount.resolve(file.getKey()), Path.of("..data", file.getKey()));
        }
        configMaps.add(podPath);
        return this;
    }

    /** The camel trait's {@code properties}: /etc/camel/conf.d/user.properties. */
    public CamelKPod userProperties(List<String> lines) {
        userProperties.addAll(lines);
        return this;
    }

    /** A line the operator writes to /etc/camel/application.properties besides its own (e.g. the Kamelets' location). */
    public CamelKPod operatorProperty(String line) {
        operatorProperties.add(line);
        return this;
    }

    /** A flow or source of the Integration, mounted at /etc/camel/sources/NAME. */
    public CamelKPod source(String name, String content) throws IOException {
        Path sources = path("/etc/camel/sources");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve(name), local(content));
        return this;
    }

    /**
     * The kamelets trait: the Kamelets the Integration uses, in one bundle folder under /etc/camel/kamelets, and
     * camel.component.kamelet.location pointing there first, then the classpath.
     */
    public CamelKPod kamelets(String bundle, Map<String, String> kamelets) throws IOException {
        String podPath = "/etc/camel/kamelets/" + bundle;
        Files.createDirectories(path(podPath));
        for (Map.Entry<String, String> kamelet : kamelets.entrySet()) {
            Files.writeString(path(podPath).resolve(kamelet.getKey()), kamelet.getValue());
        }
        operatorProperties.add("camel.component.kamelet.location=file:" + podPath + ",classpath:/kamelets");
        operatorProperties.add("camel.component.kamelet.no-error-handler=false");
        return this;
    }

    /** A variable of the container (envFrom the Secret, or the environment trait). */
    public CamelKPod env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Starts the container's command: {@code java <jvm options> -cp <classpath> QuarkusEntryPoint} in
     * /deployments, the operator's environment and properties files in place. Test-only: the two ports, which
     * would clash on a shared machine, come from {@code QUARKUS_HTTP_PORT} and {@code QUARKUS_MANAGEMENT_PORT}.
     */
    public CamelKPod start(List<String> jvmOptions, int httpPort, int managementPort) throws IOException {
        List<String> operator = new ArrayList<>(List.of(
                // the logging trait's defaults and the catalog's mapping of them
                "camel.k.logging.level=INFO", "camel.k.logging.json=false", "camel.k.logging.color=false",
                "quarkus.log.level=${camel.k.logging.level}", "quarkus.log.console.json=${camel.k.logging.json}",
                "quarkus.console.color=${camel.k.logging.color}"));
        if (Files.isDirectory(path("/etc/camel/sources"))) {
            operator.add("camel.main.source-location-enabled=true");
            operator.add("camel.main.routes-include-pattern=file:/etc/camel/sources/**");
        }
        operator.addAll(operatorProperties);
        if (!configMaps.isEmpty()) {
            operator.add("camel.main.cloud-properties-location=" + String.join(",", configMaps));
        }
        Files.writeString(path("/etc/camel/application.properties"), local(String.join("\n", operator) + "\n"));
        Files.createDirectories(path("/etc/camel/conf.d"));
        Files.writeString(path("/etc/camel/conf.d/user.properties"), local(String.join("\n", userProperties) + "\n"));
        Path deployments = path("/deployments");
        Path dependencies = deployments.resolve("dependencies");
        if (!Files.exists(dependencies)) {
            Files.createSymbolicLink(dependencies, app);
        }

        List<String> classpath = new ArrayList<>(List.of("./resources", path("/etc/camel/resources").toString()));
        configMaps.forEach(mount -> classpath.add(path(mount).toString()));
        classpath.addAll(List.of("dependencies/*", "dependencies/app/*", "dependencies/lib/boot/*", "dependencies/lib/main/*"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        jvmOptions.forEach(option -> command.add(local(option)));
        command.addAll(List.of("-cp", String.join(":", classpath), "io.quarkus.bootstrap.runner.QuarkusEntryPoint"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(deployments.toFile()).redirectErrorStream(true);
        log = root.resolve("pod.log");
        builder.redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("CAMEL_K_VERSION", "2.11.0");
        env.put("CAMEL_K_INTEGRATION", root.getFileName().toString());
        env.put("CAMEL_K_MOUNT_PATH_CONFIGMAPS", path("/etc/camel/conf.d/_configmaps").toString());
        env.put("CAMEL_K_MOUNT_PATH_SECRETS", path("/etc/camel/conf.d/_secrets").toString());
        env.put("CAMEL_K_CONF", path("/etc/camel/application.properties").toString());
        env.put("CAMEL_K_CONF_D", path("/etc/camel/conf.d").toString());
        env.put("QUARKUS_CONFIG_LOCATIONS", path("/etc/camel/application.properties") + ","
                + path("/etc/camel/conf.d/user.properties"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.putAll(environment);
        process = builder.start();
        return this;
    }

    public Path log() {
        return log;
    }

    public String logText() throws IOException {
        return log == null || !Files.exists(log) ? "" : Files.readString(log);
    }

    /** The last lines of the pod's log, for a failure's message. */
    public String tail(int lines) throws IOException {
        return log == null || !Files.exists(log) ? "" : CamelKBuild.tail(log, lines);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits for the process to end by itself (a run-once); its exit code. */
    public int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the pod did not exit within " + seconds + " s; its log:\n" + tail(40));
        }
        return process.exitValue();
    }

    /** What the kubelet does to stop a pod: SIGTERM, then (after the grace period) SIGKILL. */
    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
