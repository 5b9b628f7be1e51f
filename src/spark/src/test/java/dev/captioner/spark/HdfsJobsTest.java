package dev.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.training.FeatureCache;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both jobs with everything on HDFS (an in-process name node and data node): images, model store, cache, Parquet and
 * results; HDFS will not rename over a file, so a rerun's entries and a second run's results take the other path.
 */
class HdfsJobsTest {

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static String root;

    @TempDir
    static Path local;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration configuration = new Configuration();
        configuration.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(configuration).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = hdfs.getUri().toString();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void featuresOfImagesOnHdfsGoToACacheOnHdfsUnderTheTrainingJobsKeys() throws IOException {
        GeneratedImages images = GeneratedImages.in(local.resolve("features-data/shapes"), 5);
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("features-data/shapes").toUri()),
                new org.apache.hadoop.fs.Path(root + "/data/shapes"));
        String imagesUri = root + "/data/shapes/images";

        JobRun run = JobRun.of("features", "--master", "local[2]", "--images", imagesUri, "--data-root", root + "/data",
                "--weights", "random:42", "--parquet", root + "/out/features.parquet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastLine()).isEqualTo("features: images=6 encoded=5 reused=0 skipped=1 [1 "
                + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");

        // each entry under FeatureCache's name for the HDFS file's path, size and time, holding this machine's features
        Vgg16Fc7Encoder reference = Vgg16Fc7Encoder.random(42);
        List<Path> files = images.dataset().images().stream()
                .map(image -> images.dataset().imagesDir().resolve(image.fileName())).toList();
        float[][] expected = new FeatureExtractor(new ImageDecoder(40_000_000)).extract(files, reference, 16, done -> { })
                .features();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).getFileName().toString();
            FileStatus image = hdfs.getFileStatus(new org.apache.hadoop.fs.Path(imagesUri + "/" + name));
            org.apache.hadoop.fs.Path entry = new org.apache.hadoop.fs.Path(root + "/data/features/"
                    + FeatureCache.folderName(reference.id()) + "/"
                    + FeatureCache.entryName("shapes/images/" + name, image.getLen(), image.getModificationTime()));
            try (InputStream in = hdfs.open(entry)) {
                float[] cached = FeatureCache.readEntry(in.readAllBytes(), entry.toString());
                for (int j = 0; j < cached.length; j++) {
                    assertThat(Math.abs(cached[j] - expected[i][j])).as(name).isLessThanOrEqualTo(1e-5f);
                }
            }
        }
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(root + "/out/features.parquet/_SUCCESS"))).isTrue();

        JobRun again = JobRun.of("features", "--master", "local[2]", "--images", imagesUri, "--data-root",
                root + "/data", "--weights", "random:42");
        assertThat(again.lastLine()).isEqualTo("features: images=6 encoded=0 reused=5 skipped=1 [1 "
                + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");
    }

    @Test
    void captionsImagesOnHdfsWithAModelStoreOnHdfsAsOnLocalFilesAndReplacesItsResults() throws IOException {
        GeneratedImages images = GeneratedImages.in(local.resolve("caption-data"), 4);
        Path store = SingleMachineCaption.storeWith("demo-shapes-v1", local.resolve("models"));
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(images.dataset().imagesDir().toUri()),
                new org.apache.hadoop.fs.Path(root + "/photos"));
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(store.toUri()), new org.apache.hadoop.fs.Path(root + "/models"));
        Path localResults = local.resolve("local-results.json");

        JobRun onLocalFiles = JobRun.of("caption", "--master", "local[2]", "--images",
                images.dataset().imagesDir().toString(), "--models", store.toString(), "--output", localResults.toString());
        assertThat(onLocalFiles.exitCode()).as(onLocalFiles.err()).isZero();
        for (int run = 0; run < 2; run++) {
            JobRun onHdfs = JobRun.of("caption", "--master", "local[2]", "--images", root + "/photos/*.png",
                    "--models", root + "/models", "--output", root + "/caption-out/results.json");
            assertThat(onHdfs.exitCode()).as(onHdfs.err()).isZero();
            assertThat(onHdfs.lastLine()).isEqualTo("caption: images=5 captioned=4 skipped=1 [1 "
                    + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");
        }
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(root + "/caption-out/results.json"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(java.nio.file.Files.readString(localResults));
        }
        assertThat(hdfs.listStatus(new org.apache.hadoop.fs.Path(root + "/caption-out"))).extracting(s -> s.getPath().getName())
                .containsExactly("results.json");
    }
}
