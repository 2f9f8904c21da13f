package io.stratus.lambda;

import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;

/** The request and response records of the layer operations, named as AWS names them. */
final class LayerModel {

    private LayerModel() {}

    record LayerContent(String s3Bucket, String s3Key, String s3ObjectVersion, byte[] zipFile) {}

    record PublishLayerVersionRequest(@HttpLabel("LayerName") String layerName, String description, LayerContent content,
            List<String> compatibleRuntimes, String licenseInfo, List<String> compatibleArchitectures) {}

    record LayerVersionContentOutput(String location, String codeSha256, Long codeSize) {}

    /** PublishLayerVersion's, GetLayerVersion's and GetLayerVersionByArn's answer. */
    record LayerVersionResponse(LayerVersionContentOutput content, String layerArn, String layerVersionArn, String description,
            String createdDate, Long version, List<String> compatibleRuntimes, String licenseInfo, List<String> compatibleArchitectures) {}

    record LayerVersionRequest(@HttpLabel("LayerName") String layerName, @HttpLabel("VersionNumber") String versionNumber) {}

    record GetLayerVersionByArnRequest(@HttpQuery("Arn") String arn) {}

    record ListLayersRequest(@HttpQuery("CompatibleRuntime") String compatibleRuntime, @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems, @HttpQuery("CompatibleArchitecture") String compatibleArchitecture) {}

    record LayerVersionsListItem(String layerVersionArn, Long version, String description, String createdDate,
            List<String> compatibleRuntimes, String licenseInfo, List<String> compatibleArchitectures) {}

    record LayersListItem(String layerName, String layerArn, LayerVersionsListItem latestMatchingVersion) {}

    record ListLayersResponse(String nextMarker, List<LayersListItem> layers) {}

    record ListLayerVersionsRequest(@HttpLabel("LayerName") String layerName, @HttpQuery("CompatibleRuntime") String compatibleRuntime,
            @HttpQuery("Marker") String marker, @HttpQuery("MaxItems") Integer maxItems,
            @HttpQuery("CompatibleArchitecture") String compatibleArchitecture) {}

    record ListLayerVersionsResponse(String nextMarker, List<LayerVersionsListItem> layerVersions) {}

    record AddLayerVersionPermissionRequest(@HttpLabel("LayerName") String layerName, @HttpLabel("VersionNumber") String versionNumber,
            @HttpQuery("RevisionId") String revisionId, String statementId, String action, String principal, String organizationId) {}

    record AddLayerVersionPermissionResponse(String statement, String revisionId) {}

    record RemoveLayerVersionPermissionRequest(@HttpLabel("LayerName") String layerName, @HttpLabel("VersionNumber") String versionNumber,
            @HttpLabel("StatementId") String statementId, @HttpQuery("RevisionId") String revisionId) {}

    record GetLayerVersionPolicyResponse(String policy, String revisionId) {}
}
