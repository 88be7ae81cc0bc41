package io.reportpipes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts the tests read from the project's own files. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The project's version, as pom.xml says it. */
    static String version() throws Exception {
        Matcher version = Pattern.compile("<artifactId>report-pipes</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        if (!version.find()) {
            throw new IllegalStateException("no version in pom.xml");
        }
        return version.group(1);
    }
}
