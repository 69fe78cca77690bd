package dev.dhcpcluster.bootstrap.e2e;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that builds network namespaces and runs real programs in them.
 *
 * <p>Before the class runs, {@link PrerequisiteCheck} verifies that the JVM runs as root, that
 * network namespaces can be created, and that {@code ip} and every program in {@link #requires()}
 * are installed. A missing prerequisite fails the class when the environment variable {@code CI}
 * is {@code true}, and otherwise skips it with a loud notice on stderr.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
@ExtendWith(PrerequisiteCheck.class)
public @interface EndToEnd {

    /** Programs the test needs besides {@code ip} and {@code kill}, for example {@code dhclient}. */
    String[] requires() default {};
}
