package dev.captioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2FilePathsTest {

    @Test
    void anchorsImplicitlyRelativeH2FilePaths() {
        assertThat(H2FilePaths.anchor("jdbc:h2:file:data/jobs/captioner;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/jobs/captioner;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2FilePaths.anchor("jdbc:h2:file:target/bench/data/jobs/captioner"))
                .isEqualTo("jdbc:h2:file:./target/bench/data/jobs/captioner");
    }

    @Test
    void leavesExplicitPathsAndOtherDatabasesAlone() {
        for (String url : new String[] {"jdbc:h2:file:./data/jobs/captioner", "jdbc:h2:file:../x/y",
                "jdbc:h2:file:/srv/data/jobs/captioner;DB_CLOSE_ON_EXIT=FALSE", "jdbc:h2:file:~/captioner",
                "jdbc:h2:mem:test", "jdbc:postgresql://db:5432/captioner"}) {
            assertThat(H2FilePaths.anchor(url)).isEqualTo(url);
        }
    }
}
