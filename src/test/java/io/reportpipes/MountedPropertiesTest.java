package io.reportpipes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountedPropertiesTest {

    @TempDir
    Path dir;

    /** A ConfigMap as the kubelet mounts it: the keys in a timestamped folder, ..data linking to it, a link a key. */
    private Path configMap(String name, String... files) throws Exception {
        Path mount = dir.resolve(name);
        Path data = Files.createDirectories(mount.resolve("..2026_12_01_00_00_00.1"));
        Files.createSymbolicLink(mount.resolve("..data"), data.getFileName());
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(data.resolve(files[i]), files[i + 1]);
            Files.createSymbolicLink(mount.resolve(files[i]), Path.of("..data", files[i]));
        }
        return mount;
    }

    @Test
    void givenTwoFilesOfAConfigMapSettingOneKey_thenThatKeyIsAProblemNamingBothFiles() throws Exception {
        Path mount = configMap("report-pipes-config", "application.properties", "a = 1\nreport-pipes.mode = run-once\n",
                "camel-k.properties", "report-pipes.mode = daemon\nb = 2\n");

        List<String> problems = MountedProperties.keysSetTwice(mount.toString());

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("report-pipes.mode is set in " + mount.resolve("application.properties")
                + " and " + mount.resolve("camel-k.properties")), problems.get(0));
    }

    @Test
    void givenFilesWithDisjointKeysInTwoConfigMaps_thenNoProblem() throws Exception {
        Path first = configMap("one", "application.properties", "a = 1\n");
        Path second = configMap("two", "camel-k.properties", "b = 2\n");

        assertEquals(List.of(), MountedProperties.keysSetTwice(first + "," + second));
    }

    @Test
    void givenNothingMounted_thenNoProblem() throws Exception {
        assertEquals(List.of(), MountedProperties.keysSetTwice(""));
        assertEquals(List.of(), MountedProperties.keysSetTwice(dir.resolve("missing").toString()));
    }
}
