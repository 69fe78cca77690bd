package dev.dhcpcluster.bootstrap.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import dev.dhcpcluster.bootstrap.architecture.violations.CallsMathRandom;
import dev.dhcpcluster.bootstrap.architecture.violations.OpensFile;
import dev.dhcpcluster.bootstrap.architecture.violations.ReadsInstantNow;
import dev.dhcpcluster.bootstrap.architecture.violations.ReadsMonotonicClock;
import dev.dhcpcluster.bootstrap.architecture.violations.ReadsSystemClock;
import dev.dhcpcluster.bootstrap.architecture.violations.StartsThread;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesExecutor;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesJdbc;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesPath;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesDefaultRandomGenerator;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesRandom;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesRandomGeneratorByName;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesRandomUuid;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesSocket;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesSqlite;
import dev.dhcpcluster.bootstrap.architecture.violations.UsesThreadLocalRandom;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one dependency rule of the project, checked on the production classes of every module:
 * ports is the JDK only; core is ports and Guava, with no I/O, threads or clock; an adapter knows
 * ports only; only bootstrap knows the wiring, configuration and logging libraries.
 *
 * <p>Every rule that is about the classes of a named package first checks that the package has
 * classes ({@link #classesIn}, {@link #noClassesIn}), so that a misspelt or moved package fails
 * the rule instead of satisfying it vacuously.
 */
class DependencyRuleTest {

    private static final String PORTS = "dev.dhcpcluster.port..";
    private static final String CORE = "dev.dhcpcluster.core..";
    private static final String ELECTION = "dev.dhcpcluster.core.election..";
    private static final String CLUSTER = "dev.dhcpcluster.core.cluster..";
    private static final String MEMBER = "dev.dhcpcluster.core.member..";
    private static final String ADAPTERS = "dev.dhcpcluster.adapter..";
    private static final String BOOTSTRAP = "dev.dhcpcluster.bootstrap..";
    private static final String TESTKIT = "dev.dhcpcluster.testkit..";
    private static final String STORAGE_ADAPTER = "dev.dhcpcluster.adapter.storage..";
    private static final String PCAP_ADAPTER = "dev.dhcpcluster.adapter.pcap..";
    private static final String PEER_ADAPTER = "dev.dhcpcluster.adapter.tcppeer..";
    private static final String VIOLATIONS = "dev.dhcpcluster.bootstrap.architecture.violations..";

    /** Test-jars (the contract tests of ports, core's test fixtures) are not production code. */
    private static final ImportOption NO_TEST_JARS = location -> !location.matches(Pattern.compile(".*-tests\\.jar.*"));

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NO_TEST_JARS)
                .importPackages("dev.dhcpcluster");
    }

    @Test
    void everyModuleThatExistsHasClasses() {
        for (String packageIdentifier : new String[] {
                PORTS, "dev.dhcpcluster.core.dhcp..", "dev.dhcpcluster.core.config..", ELECTION, CLUSTER, MEMBER,
                "dev.dhcpcluster.adapter.udp..", STORAGE_ADAPTER, PCAP_ADAPTER, PEER_ADAPTER}) {
            requireClassesIn(packageIdentifier);
        }
    }

    @Test
    void portsDependOnTheJdkOnly() {
        classesIn(PORTS).should().onlyDependOnClassesThat().resideInAnyPackage(PORTS, "java..")
                .check(production);
    }

    @Test
    void coreDependsOnPortsAndGuavaOnly() {
        classesIn(CORE).should().onlyDependOnClassesThat()
                .resideInAnyPackage(CORE, PORTS, "java..", "com.google.common..")
                .check(production);
    }

    @Test
    void theTestkitDependsOnPortsCoreAndJUnitOnly() {
        // An integrator's tests take it without the node: no bootstrap, no adapter, no logging library.
        classesIn(TESTKIT).should().onlyDependOnClassesThat()
                .resideInAnyPackage(TESTKIT, CORE, PORTS, "java..", "org.junit..", "org.opentest4j..")
                .check(production);
    }

    @Test
    void coreDoesNoInputOutputAndStartsNoThreads() {
        noInputOutputOrThreads(CORE, production).check(production);
    }

    @Test
    void coreNeverReadsTheSystemClock() {
        noSystemClock(CORE, production).check(production);
    }

    @Test
    void coreDrawsNoRandomnessOfItsOwn() {
        noOwnRandomness(CORE, production).check(production);
    }

    @Test
    void theElectionDrawsNoRandomnessOfItsOwn() {
        // Its jitter comes from the RandomGenerator handed to it, so that a simulation seed replays it.
        noOwnRandomness(ELECTION, production).check(production);
    }

    @Test
    void theElectionReachesTheOutsideOnlyThroughPorts() {
        classesIn(ELECTION).should().onlyDependOnClassesThat().resideInAnyPackage(ELECTION, PORTS, "java..")
                .because("the election is a state machine on the peer, vote store, clock and scheduler ports alone")
                .check(production);
    }

    @Test
    void theClusterStateMachinesReachTheOutsideOnlyThroughPorts() {
        // Replication, assignment and grants run on the ports alone, like the election, so that the
        // simulation drives them exactly as a node does; the DHCP policy may use them, not the reverse.
        classesIn(CLUSTER).should().onlyDependOnClassesThat().resideInAnyPackage(CLUSTER, PORTS, "java..")
                .because("the cluster's state machines see the network, the disk and time through ports only")
                .check(production);
    }

    @Test
    void theClusterMemberReachesTheOutsideOnlyThroughPorts() {
        // The member composes the cluster's state machines with the DHCP server; the node's runtime and
        // the full-stack simulation build it alike, so it too sees the outside through ports only.
        classesIn(MEMBER).should().onlyDependOnClassesThat()
                .resideInAnyPackage(MEMBER, CLUSTER, "dev.dhcpcluster.core.dhcp..", "dev.dhcpcluster.core.pool..",
                        PORTS, "java..")
                .because("the member is wired by bootstrap and by the simulation from the same ports")
                .check(production);
    }

    @ParameterizedTest
    @ValueSource(classes = {UsesRandom.class, UsesThreadLocalRandom.class, CallsMathRandom.class, UsesRandomUuid.class,
            UsesDefaultRandomGenerator.class, UsesRandomGeneratorByName.class})
    void theRandomnessRuleCatchesEachSource(Class<?> violation) {
        JavaClasses classes = new ClassFileImporter().importClasses(violation);

        assertViolatedBy(noOwnRandomness(VIOLATIONS, classes), classes, violation);
    }

    @ParameterizedTest
    @ValueSource(classes = {StartsThread.class, UsesExecutor.class, OpensFile.class, UsesSocket.class, UsesPath.class,
            UsesJdbc.class})
    void theInputOutputRuleCatchesEachKindOfEffect(Class<?> violation) {
        JavaClasses classes = new ClassFileImporter().importClasses(violation);

        assertViolatedBy(noInputOutputOrThreads(VIOLATIONS, classes), classes, violation);
    }

    @ParameterizedTest
    @ValueSource(classes = {ReadsSystemClock.class, ReadsMonotonicClock.class, ReadsInstantNow.class})
    void theClockRuleCatchesEachWayOfReadingTheClock(Class<?> violation) {
        JavaClasses classes = new ClassFileImporter().importClasses(violation);

        assertViolatedBy(noSystemClock(VIOLATIONS, classes), classes, violation);
    }

    @Test
    void theJdbcRuleCatchesJdbcOutsideTheStorageAdapter() {
        JavaClasses classes = new ClassFileImporter().importClasses(UsesJdbc.class);

        assertViolatedBy(onlyTheStorageAdapterKnowsJdbc(), classes, UsesJdbc.class);
    }

    @Test
    void theSqliteRuleCatchesTheDriverOutsideTheStorageAdapter() {
        JavaClasses classes = new ClassFileImporter().importClasses(UsesSqlite.class);

        assertViolatedBy(onlyTheStorageAdapterKnowsSqlite(), classes, UsesSqlite.class);
    }

    @Test
    void adaptersNeverDependOnCoreOrBootstrap() {
        noClassesIn(ADAPTERS).should().dependOnClassesThat().resideInAnyPackage(CORE, BOOTSTRAP)
                .because("an integrator writes an adapter against the ports artifact alone")
                .check(production);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        requireClassesIn("dev.dhcpcluster.adapter.udp..");
        requireClassesIn(STORAGE_ADAPTER);
        requireClassesIn(PCAP_ADAPTER);
        requireClassesIn(PEER_ADAPTER);
        slices().matching("dev.dhcpcluster.adapter.(*)..").should().notDependOnEachOther().check(production);
    }

    @Test
    void onlyBootstrapKnowsWiringConfigurationAndLoggingLibraries() {
        noClasses().that().resideOutsideOfPackage(BOOTSTRAP).should().dependOnClassesThat()
                .resideInAnyPackage("dagger..", "javax.inject..", "jakarta.inject..", "picocli..",
                        "ch.qos.logback..", "org.slf4j..", "io.prometheus..")
                .because("adapters log through System.Logger, which bootstrap bridges to SLF4J, and report "
                        + "through ClusterEvents, which bootstrap turns into metrics")
                .check(production);
    }

    @Test
    @DisplayName("only the command and its log format know Logback, which the library leaves optional")
    void onlyTheCommandKnowsLogback() {
        noClasses().that().resideOutsideOfPackages("dev.dhcpcluster.bootstrap.cli..", "dev.dhcpcluster.bootstrap.logging..")
                .should().dependOnClassesThat().resideInAPackage("ch.qos.logback..")
                .because("bootstrap's jar is also a library whose users choose their own SLF4J backend: "
                        + "a class they run must not need Logback")
                .check(production);
    }

    @Test
    void onlyBootstrapAndThePeerAdapterKnowJackson() {
        requireClassesIn(PEER_ADAPTER);
        noClasses().that().resideOutsideOfPackages(BOOTSTRAP, PEER_ADAPTER).should().dependOnClassesThat()
                .resideInAnyPackage("com.fasterxml.jackson..")
                .because("Jackson reads the config file (bootstrap) and writes the peer frames (CBOR); the records "
                        + "of ports carry no annotation of it")
                .check(production);
    }

    @Test
    void thePeerAdapterDependsOnPortsAndJacksonOnly() {
        classesIn(PEER_ADAPTER).should().onlyDependOnClassesThat()
                .resideInAnyPackage(PEER_ADAPTER, PORTS, "java..", "javax.crypto..", "javax.net..", "com.fasterxml.jackson..")
                .because("an adapter is written against the ports artifact and its one technology")
                .check(production);
    }

    @Test
    void thePeerAdapterShowsBootstrapOnlyItsTransport() {
        classesIn(PEER_ADAPTER).and().arePublic().should()
                .haveNameMatching(Pattern.quote("dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport") + "(\\$Settings|\\$ObserverSettings|Provider)?")
                .because("an adapter's helpers are package-private; it shows the transport, its settings as a node "
                        + "and as an observer (a relay), and the provider that ServiceLoader finds")
                .check(production);
    }

    @Test
    void jdbcStaysInTheStorageAdapter() {
        onlyTheStorageAdapterKnowsJdbc().check(production);
    }

    @Test
    void sqliteStaysInTheStorageAdapter() {
        requireClassesIn(STORAGE_ADAPTER);
        onlyTheStorageAdapterKnowsSqlite().check(production);
    }

    @Test
    void theStorageAdapterShowsBootstrapOnlyTheStoresItConstructs() {
        classesIn(STORAGE_ADAPTER).and().arePublic().should()
                .haveSimpleNameEndingWith("LeaseStore").orShould().haveSimpleNameEndingWith("VoteStore")
                .orShould().haveSimpleNameEndingWith("AssignmentStore").orShould().haveSimpleName("LostStoreMark")
                .orShould().haveSimpleNameEndingWith("StoreProvider")
                .because("an adapter's helpers are package-private; it shows its stores, their providers and the "
                        + "durable note of a lost lease store, nothing else")
                .check(production);
    }

    @Test
    void onlyThePcapAdapterKnowsPcap4j() {
        requireClassesIn(PCAP_ADAPTER);
        noClasses().that().resideOutsideOfPackage(PCAP_ADAPTER).should().dependOnClassesThat()
                .resideInAnyPackage("org.pcap4j..", "com.sun.jna..")
                .check(production);
    }

    @Test
    void thePcapAdapterDependsOnPortsAndPcap4jOnly() {
        classesIn(PCAP_ADAPTER).should().onlyDependOnClassesThat()
                .resideInAnyPackage(PCAP_ADAPTER, PORTS, "java..", "org.pcap4j..")
                .because("an adapter is written against the ports artifact and its one technology")
                .check(production);
    }

    @Test
    void thePcapAdapterShowsBootstrapOnlyItsTransport() {
        classesIn(PCAP_ADAPTER).and().arePublic().should().haveSimpleName("PcapDhcpTransport")
                .orShould().haveSimpleName("PcapTransportProvider")
                .because("an adapter's helpers are package-private; it shows its transport and the transport's provider")
                .check(production);
    }

    @Test
    void aRuleAboutAMisspeltPackageFails() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> noClassesIn("dev.dhcpcluster.cor..").should().dependOnClassesThat().resideInAPackage("java.net.."));

        assertTrue(error.getMessage().contains("dev.dhcpcluster.cor.."), error.getMessage());
    }

    @Test
    void theGuardLooksAtTheNamedPackageOnly() {
        // A sibling with a common prefix (core.config vs core.conf) must not count as the package.
        assertThrows(AssertionError.class, () -> requireClassesIn("dev.dhcpcluster.core.conf.."));
    }

    private static ArchRule noInputOutputOrThreads(String packageIdentifier, JavaClasses classes) {
        return noClassesIn(packageIdentifier, classes).should().dependOnClassesThat(
                        resideInAnyPackage("java.net..", "java.nio.channels..", "java.nio.file..", "java.sql..")
                                .or(resideInAPackage("java.io").and(simpleNameStartingWith("File")))
                                .or(nameMatching("java\\.lang\\.Thread(\\$.*)?"))
                                .or(nameMatching("java\\.util\\.concurrent\\.\\w*(Executor|ForkJoin|ThreadFactory)\\w*"))
                                .as("do I/O or run threads"))
                .because("core is single-threaded state machines; effects go out through ports");
    }

    private static ArchRule noSystemClock(String packageIdentifier, JavaClasses classes) {
        return noClassesIn(packageIdentifier, classes)
                .should().callMethodWhere(describe("read the system clock", DependencyRuleTest::readsSystemClock))
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
                .because("time comes in through port.time.Clock, so that tests can run on a virtual clock");
    }

    /**
     * Core's runs replay from one seed: any randomness (election jitter, say) must come in through a
     * port or a seeded source handed to it, never from a generator core makes or reaches itself.
     */
    private static ArchRule noOwnRandomness(String packageIdentifier, JavaClasses classes) {
        return noClassesIn(packageIdentifier, classes)
                .should().dependOnClassesThat(assignableTo(Random.class).or(assignableTo(SplittableRandom.class))
                        .or(resideInAPackage("jdk.random.."))
                        .or(assignableTo(RandomGeneratorFactory.class))
                        .as("are random generators"))
                .orShould().callMethodWhere(describe("draw from a shared random source",
                        DependencyRuleTest::drawsSharedRandomness))
                .because("one seed must replay one run exactly (the deterministic simulation)");
    }

    private static boolean drawsSharedRandomness(JavaMethodCall call) {
        JavaClass owner = call.getTargetOwner();
        String name = call.getName();
        return ((owner.isEquivalentTo(Math.class) || owner.isEquivalentTo(StrictMath.class)) && name.equals("random"))
                || (owner.isEquivalentTo(UUID.class) && name.equals("randomUUID"))
                // RandomGenerator.of(name), getDefault() and their twins on the nested interfaces make a new,
                // system-seeded generator; a generator handed in is fine.
                || (owner.isAssignableTo(RandomGenerator.class) && owner.isInterface()
                        && (name.equals("of") || name.equals("getDefault")));
    }

    private static ArchRule onlyTheStorageAdapterKnowsJdbc() {
        return noClasses().that().resideOutsideOfPackage(STORAGE_ADAPTER).should().dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..");
    }

    private static ArchRule onlyTheStorageAdapterKnowsSqlite() {
        return noClasses().that().resideOutsideOfPackage(STORAGE_ADAPTER).should().dependOnClassesThat()
                .resideInAnyPackage("org.sqlite..")
                .because("SQLite is the storage adapter's business: the rest of the node sees a LeaseStore");
    }

    /** The rule, built outside (so that its own guard passed), fails naming the violating class. */
    private static void assertViolatedBy(ArchRule rule, JavaClasses classes, Class<?> violation) {
        AssertionError error = assertThrows(AssertionError.class, () -> rule.check(classes));
        assertTrue(error.getMessage().contains(violation.getName()), error.getMessage());
    }

    /** The classes of a package, for a rule; fails if there are none. */
    private static GivenClassesConjunction classesIn(String packageIdentifier) {
        requireClassesIn(packageIdentifier, production);
        return classes().that().resideInAPackage(packageIdentifier);
    }

    /** "No classes of this package", for a rule; fails if the package has no classes. */
    private static GivenClassesConjunction noClassesIn(String packageIdentifier) {
        return noClassesIn(packageIdentifier, production);
    }

    private static GivenClassesConjunction noClassesIn(String packageIdentifier, JavaClasses classes) {
        requireClassesIn(packageIdentifier, classes);
        return noClasses().that().resideInAPackage(packageIdentifier);
    }

    private static void requireClassesIn(String packageIdentifier) {
        requireClassesIn(packageIdentifier, production);
    }

    private static void requireClassesIn(String packageIdentifier, JavaClasses classes) {
        if (classes.that(resideInAPackage(packageIdentifier)).isEmpty()) {
            throw new AssertionError("no classes in " + packageIdentifier
                    + ": a rule about it would pass without checking anything (misspelt or moved package?)");
        }
    }

    private static boolean readsSystemClock(JavaMethodCall call) {
        JavaClass owner = call.getTargetOwner();
        String name = call.getName();
        boolean systemTime = owner.isEquivalentTo(System.class) && (name.equals("currentTimeMillis") || name.equals("nanoTime"));
        boolean javaTimeNow = owner.getPackageName().equals("java.time") && name.equals("now");
        return systemTime || javaTimeNow;
    }
}
