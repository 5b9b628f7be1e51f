package dev.captioner.compute;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J workspaces for the decoder's hot loops. ND4J frees an array's native memory only when the Java
 * garbage collector reclaims its tiny on-heap wrapper, which with a mostly empty heap can take long
 * enough for native memory to grow without bound (a demo training run reached 24 GB and was killed).
 * Inside a workspace every temporary lives in one reusable block that is recycled at each scope exit.
 * Nothing allocated inside may be used after the scope closes: results must leave as Java arrays or be
 * written into arrays allocated outside.
 */
public final class Workspaces {

    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {
    }

    /** Opens (or re-enters) this thread's workspace of the given name; close it to recycle its memory. */
    public static MemoryWorkspace open(String name) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, name);
    }

    /** For state that must outlive the current workspace, such as optimiser moments. */
    public static MemoryWorkspace outside() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }
}
