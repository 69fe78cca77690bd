package dev.dhcpcluster.bootstrap.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line that runs a main class in a fresh JVM with this test JVM's classpath, so
 * a node started inside a namespace runs exactly the code under test.
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    /** Returns {@code java [jvmOptions] -cp <test classpath> mainClass arguments...}. */
    public static List<String> of(List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath());
        argv.add(mainClass);
        argv.addAll(arguments);
        return argv;
    }

    /**
     * The test classpath. Surefire may start the test JVM from a manifest-only jar, in which case
     * {@code java.class.path} names that jar alone; it then publishes the real classpath as
     * {@code surefire.test.class.path}.
     */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
