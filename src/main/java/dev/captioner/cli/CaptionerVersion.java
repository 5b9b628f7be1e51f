package dev.captioner.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the jar was built as (its manifest), or "development" when run from classes. */
public final class CaptionerVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = CaptionerVersion.class.getPackage().getImplementationVersion();
        return new String[] {"captioner " + (version != null ? version : "development")};
    }
}
