package dev.dhcpcluster.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The codec benchmark follows the golden packets: a packet added to core's tests is measured too. */
class CodecGoldenBenchmarkTest {

    @Test
    @DisplayName("the codec benchmark measures every golden packet of core's codec tests, and only those")
    void coversEveryGoldenPacket() throws IOException, NoSuchFieldException {
        // Tests run in the module's directory; the packets live in core's test resources.
        Path golden = Path.of("..", "core", "src", "test", "resources").resolve(CodecGoldenBenchmark.GOLDEN.substring(1));
        List<String> files;
        try (Stream<Path> listed = Files.list(golden)) {
            files = listed.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".bin"))
                    .map(name -> name.substring(0, name.length() - ".bin".length()))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no golden packet found in " + golden.toAbsolutePath());
        String[] measured = CodecGoldenBenchmark.class.getField("packet").getAnnotation(Param.class).value();
        assertEquals(files, Arrays.stream(measured).sorted().toList());
    }

    @Test
    @DisplayName("each golden packet is in the benchmarks jar's class path and round-trips through the codec")
    void everyPacketLoads() throws Exception {
        for (String name : CodecGoldenBenchmark.class.getField("packet").getAnnotation(Param.class).value()) {
            CodecGoldenBenchmark benchmark = new CodecGoldenBenchmark();
            benchmark.packet = name;
            benchmark.load();
            assertEquals(300, benchmark.encode().length, name);
        }
    }
}
