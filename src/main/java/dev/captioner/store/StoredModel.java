package dev.captioner.store;

/**
 * A model folder as listed: its manifest, or why the manifest cannot be used, so that one broken folder is
 * shown (and can be deleted) instead of hiding the others.
 *
 * @param manifest the manifest; null when {@code broken}
 * @param broken   what is wrong with the folder's manifest, in words; null when it is fine
 */
public record StoredModel(String id, ModelManifest manifest, String broken) {

    static StoredModel readable(ModelManifest manifest) {
        return new StoredModel(manifest.id(), manifest, null);
    }

    static StoredModel broken(String id, String reason) {
        return new StoredModel(id, null, reason);
    }

    public boolean isBroken() {
        return broken != null;
    }
}
