package io.alertrelay.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.k8s.CustomResources.Integration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JVM flags are stated once, in jvm.options (a java argument file), and every way of running the
 * relay applies that file rather than a copy of its flags: {@code ./mvnw spring-boot:run}, the image's
 * entrypoint (which Kubernetes and Camel K run unchanged), bin/alert-relay; the README shows the same
 * flags. Plain {@code java -jar} without them let the JVM take a quarter of the machine's memory.
 */
class JvmFlagsTest {

    static final Path FILE = Path.of("jvm.options");
    /** What the README's footprint (and docs/benchmarks.md) rests on. */
    private static final List<String> DOCUMENTED = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=48m",
            "-XX:+ExitOnOutOfMemoryError");

    @TempDir
    Path tmp;

    /** The flags of jvm.options, comments left out. */
    static List<String> flags() throws IOException {
        return Files.readAllLines(FILE).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
    }

    static long maxHeapBytes() {
        try {
            String xmx = flags().stream().filter(f -> f.startsWith("-Xmx")).findFirst().orElseThrow();
            Matcher m = Pattern.compile("-Xmx(\\d+)([kmg])").matcher(xmx);
            assertThat(m.matches()).as(xmx).isTrue();
            return Long.parseLong(m.group(1)) << switch (m.group(2)) { case "k" -> 10; case "m" -> 20; default -> 30; };
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The option a flag sets: -Xmx, -Dname, or the -XX option's name without +/- and value. */
    private static String key(String flag) {
        Matcher xx = Pattern.compile("-XX:[+-]?([A-Za-z0-9]+).*").matcher(flag);
        if (xx.matches()) {
            return xx.group(1);
        }
        Matcher x = Pattern.compile("(-X(?:mx|ms|ss|mn)).*").matcher(flag);
        if (x.matches()) {
            return x.group(1);
        }
        int eq = flag.indexOf('=');
        return eq < 0 ? flag : flag.substring(0, eq);
    }

    @Test
    void theFileIsAJavaArgumentFileWithTheDocumentedFlags() throws Exception {
        assertThat(flags()).containsAll(DOCUMENTED);
        assertThat(flags().stream().map(JvmFlagsTest::key)).doesNotHaveDuplicates();
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + FILE.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("MaxHeapSize\\s+= " + maxHeapBytes() + "\\s").containsPattern("UseSerialGC\\s+= true");
    }

    @Test
    void theReadmeShowsTheseFlagsAndNoOthers() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("### JVM flags and footprint");
        assertThat(start).isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
        assertThat(section).contains("jvm.options");
        for (String flag : flags()) {
            assertThat(section).as("the README's JVM flags section names " + flag).contains(flag);
        }
        // besides: the class-data sharing archive, the README's own step per build, and what Kubernetes adds
        Set<String> known = flags().stream().map(JvmFlagsTest::key).collect(Collectors.toSet());
        Set<String> cds = new java.util.HashSet<>(Set.of("SharedArchiveFile", "ArchiveClassesAtExit", "-Djarmode",
                "-Dspring.context.exit"));
        Container relay = ManifestsTest.relayContainer(Manifests.single(Manifests.BASE.resolve("deployment.yaml"), Deployment.class));
        Arrays.stream(ManifestsTest.env(relay).get("JAVA_TOOL_OPTIONS").trim().split("\\s+")).map(JvmFlagsTest::key)
                .forEach(cds::add);
        Matcher named = Pattern.compile("(?<![\\w-])(-XX:[+-]?\\w+(?:=\\S+)?|-X(?:mx|ms|ss)\\w+|-D[\\w.]+)").matcher(section);
        while (named.find()) {
            String key = key(named.group(1));
            assertThat(known.contains(key) || cds.contains(key)).as("README names " + named.group(1) + ", not in jvm.options").isTrue();
        }
    }

    @Test
    void springBootRunAppliesTheFile() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList plugins = pom.getElementsByTagName("plugin");
        Element bootPlugin = null;
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals("spring-boot-maven-plugin")) {
                bootPlugin = plugin;
            }
        }
        assertThat(bootPlugin).isNotNull();
        assertThat(text(bootPlugin, "jvmArguments")).isEqualTo("@${project.basedir}/" + FILE);
        assertThat(text(bootPlugin, "MALLOC_ARENA_MAX")).isEqualTo("2");
    }

    @Test
    void theImageAppliesTheFileAndRestatesNoFlag() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::strip)
                .filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).contains("WORKDIR /app", "COPY jvm.options ./");
        assertThat(lines.stream().filter(l -> l.startsWith("ENTRYPOINT"))).singleElement().asString()
                .contains("\"java\", \"@/app/jvm.options\"");
        String instructions = String.join("\n", lines);
        assertThat(instructions).contains("MALLOC_ARENA_MAX=2").doesNotContain("RAMPercentage");
        for (String flag : flags()) {
            assertThat(instructions).as("the Dockerfile restates " + flag).doesNotContain(key(flag));
        }
    }

    @Test
    void kubernetesAndCamelKRunTheImagesEntrypointAndAddOnlyWhatThePlatformNeeds() throws IOException {
        Container relay = ManifestsTest.relayContainer(Manifests.single(Manifests.BASE.resolve("deployment.yaml"), Deployment.class));
        assertThat(relay.getCommand()).as("the image's entrypoint, which applies jvm.options").isNullOrEmpty();
        assertThat(relay.getArgs()).isNullOrEmpty();
        Map<String, String> env = ManifestsTest.env(relay);
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2");
        Set<String> own = flags().stream().map(JvmFlagsTest::key).collect(Collectors.toSet());
        for (String added : env.getOrDefault("JAVA_TOOL_OPTIONS", "").trim().split("\\s+")) {
            assertThat(own).as("JAVA_TOOL_OPTIONS restates or overrides " + added).doesNotContain(key(added));
            assertThat(added).doesNotContain("RAMPercentage");
        }
        Integration integration = Manifests.single(Manifests.CAMEL_K.resolve("integration.yaml"), Integration.class);
        assertThat(integration.spec().traits().jvm()).as("the operator's JVM options would replace the image's").isNull();
        // the Integration's environment equals the Deployment's: ManifestsTest
    }

    @Test
    void theLauncherScriptRunsTheJarWithTheFile() throws Exception {
        // a stand-in java that prints what it is given
        Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(tmp.resolve("alert-relay-0.1.0.jar"), "not really a jar");
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/alert-relay", jar.toString(), "--relay.language=en")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        builder.environment().remove("MALLOC_ARENA_MAX");
        Process script = builder.start();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly("MALLOC_ARENA_MAX=2",
                "@" + Path.of("bin").toAbsolutePath() + "/../" + FILE,
                "-jar", jar.toString(), "--relay.language=en");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }
}
