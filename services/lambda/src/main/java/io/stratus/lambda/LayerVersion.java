package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.stratus.lambda.LayerModel.LayerVersionContentOutput;
import io.stratus.lambda.LayerModel.LayerVersionResponse;
import io.stratus.lambda.LayerModel.LayerVersionsListItem;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One published version of a layer as Stratus keeps it: its metadata, and the digest that names
 * its zip (a file, see {@link LayerStore}). Immutable, as layer versions are.
 *
 * @param unzippedSize what its files add up to, counted against a function's 250 MB
 */
record LayerVersion(
        String accountId,
        String region,
        String layerName,
        long version,
        String description,
        Instant createdDate,
        List<String> compatibleRuntimes,
        List<String> compatibleArchitectures,
        String licenseInfo,
        String codeSha256,
        long codeSize,
        long unzippedSize) {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    @JsonCreator
    LayerVersion {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(layerName, "layerName is null");
        requireNonNull(createdDate, "createdDate is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        description = description == null ? "" : description;
        compatibleRuntimes = compatibleRuntimes == null ? List.of() : List.copyOf(compatibleRuntimes);
        compatibleArchitectures = compatibleArchitectures == null ? List.of() : List.copyOf(compatibleArchitectures);
    }

    static String layerArn(String accountId, String region, String layerName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":layer:" + layerName;
    }

    String layerArn() {
        return layerArn(accountId, region, layerName);
    }

    String versionArn() {
        return layerArn() + ":" + version;
    }

    /** Whether it suits a ListLayers/ListLayerVersions filter (null: any). */
    boolean matches(String runtime, String architecture) {
        return (runtime == null || compatibleRuntimes.contains(runtime)) && (architecture == null || compatibleArchitectures.contains(architecture));
    }

    FunctionRecord.FunctionLayer asFunctionLayer() {
        return new FunctionRecord.FunctionLayer(versionArn(), layerName, codeSha256, codeSize, unzippedSize);
    }

    /** @param location the URL its zip downloads from */
    LayerVersionResponse response(String location) {
        return new LayerVersionResponse(new LayerVersionContentOutput(location, codeSha256, codeSize), layerArn(), versionArn(), description,
                CREATED.format(createdDate), version, emptyToNull(compatibleRuntimes), licenseInfo, emptyToNull(compatibleArchitectures));
    }

    LayerVersionsListItem listItem() {
        return new LayerVersionsListItem(versionArn(), version, description, CREATED.format(createdDate), emptyToNull(compatibleRuntimes),
                licenseInfo, emptyToNull(compatibleArchitectures));
    }

    private static List<String> emptyToNull(List<String> values) {
        return values.isEmpty() ? null : values;
    }
}
