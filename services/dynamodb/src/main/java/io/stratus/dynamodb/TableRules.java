package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.TableModel.AttributeDefinition;
import io.stratus.dynamodb.TableModel.KeySchemaElement;
import io.stratus.dynamodb.TableModel.Projection;
import io.stratus.dynamodb.TableModel.ProvisionedThroughput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks DynamoDB makes of table definitions, with its messages. Stateless. */
final class TableRules {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Set<String> KEY_TYPES = Set.of("S", "N", "B");
    private static final Set<String> PROJECTIONS = Set.of("ALL", "KEYS_ONLY", "INCLUDE");
    private static final int MAX_GLOBAL_INDEXES = 20;
    private static final int MAX_LOCAL_INDEXES = 5;
    private static final int MAX_PROJECTED_ATTRIBUTES = 100;

    private TableRules() {}

    /** Checks a TableName member (3 to 255 of {@code [a-zA-Z0-9_.-]}). */
    static String checkTableName(String name) {
        return checkName(name, "tableName", 3, 255);
    }

    /**
     * The table a TableName member names: a table name, or (as AWS accepts since resource
     * policies) the table's ARN in the caller's account and region.
     */
    static String tableName(RequestContext context, String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) {
            return checkTableName(nameOrArn);
        }
        String prefix = "arn:aws:dynamodb:" + context.region() + ":" + context.accountId() + ":table/";
        if (!nameOrArn.startsWith(prefix) || nameOrArn.length() > 1024) {
            throw TableStore.notFound();
        }
        return checkTableName(nameOrArn.substring(prefix.length()));
    }

    static String checkName(String name, String member, int min, int max) {
        if (name == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        if (name.length() < min) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d",
                    name, member, min);
        }
        if (name.length() > max) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d",
                    name, member, max);
        }
        if (!NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                    name, member);
        }
        return name;
    }

    /** The attribute types the definitions give, checked. */
    static Map<String, String> attributeTypes(List<AttributeDefinition> definitions) {
        if (definitions == null) {
            throw validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < definitions.size(); i++) {
            AttributeDefinition definition = definitions.get(i);
            if (definition == null || definition.attributeName() == null || definition.attributeName().isEmpty()) {
                throw validation("1 validation error detected: Value null at 'attributeDefinitions.%d.member.attributeName' failed to satisfy constraint: Member must not be null", i + 1);
            }
            if (!KEY_TYPES.contains(definition.attributeType())) {
                throw validation("1 validation error detected: Value '%s' at 'attributeDefinitions.%d.member.attributeType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [B, N, S]", definition.attributeType(), i + 1);
            }
            if (types.put(definition.attributeName(), definition.attributeType()) != null) {
                throw validation("Cannot have two attributes with the same name");
            }
        }
        return types;
    }

    /** A key schema checked against the attribute definitions; {@code index} is null for the table's own. */
    static KeySchema keySchema(List<KeySchemaElement> elements, Map<String, String> types, String index) {
        String member = index == null ? "keySchema" : "globalSecondaryIndexes.1.member.keySchema";
        if (elements == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        if (elements.isEmpty() || elements.size() > 2) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length %s",
                    elements, member, elements.isEmpty() ? "greater than or equal to 1" : "less than or equal to 2");
        }
        for (KeySchemaElement element : elements) {
            if (element == null || element.attributeName() == null || !Set.of("HASH", "RANGE").contains(element.keyType())) {
                throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
                        element == null ? null : element.keyType(), member);
            }
        }
        String prefix = index == null ? "" : "One or more parameter values were invalid: ";
        if (!elements.getFirst().keyType().equals("HASH")) {
            throw validation(prefix + "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (elements.size() == 2) {
            if (elements.get(1).keyType().equals("HASH")) {
                throw validation("Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key");
            }
            if (elements.get(0).attributeName().equals(elements.get(1).attributeName())) {
                throw validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
        List<String> missing = elements.stream().map(KeySchemaElement::attributeName).filter(n -> !types.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: %s, AttributeDefinitions: %s",
                    missing, new ArrayList<>(types.keySet()));
        }
        String hash = elements.get(0).attributeName();
        String range = elements.size() == 2 ? elements.get(1).attributeName() : null;
        return new KeySchema(hash, types.get(hash), range, range == null ? null : types.get(range));
    }

    static String billingMode(String mode) {
        if (mode == null) {
            return Table.PROVISIONED;
        }
        if (!mode.equals(Table.PROVISIONED) && !mode.equals(Table.PAY_PER_REQUEST)) {
            throw validation("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", mode);
        }
        return mode;
    }

    /** Checks throughput against the billing mode; {@code index} names a GSI, or is null for the table. */
    static void checkThroughput(String billingMode, ProvisionedThroughput throughput, String index) {
        if (billingMode.equals(Table.PAY_PER_REQUEST)) {
            if (throughput != null) {
                throw validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return;
        }
        if (throughput == null) {
            throw validation(index == null
                    ? "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
                    : "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + index);
        }
        for (Long units : new Long[] {throughput.readCapacityUnits(), throughput.writeCapacityUnits()}) {
            if (units == null) {
                throw validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
            if (units < 1) {
                throw validation("1 validation error detected: Value '%d' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1", units);
            }
        }
    }

    static SecondaryIndex index(String name, List<KeySchemaElement> keySchema, Projection projection, ProvisionedThroughput throughput,
            boolean global, Map<String, String> types, String billingMode, KeySchema tableKey) {
        checkName(name, "indexName", 3, 255);
        KeySchema key = keySchema(keySchema, types, name);
        if (!global) {
            if (!tableKey.hasRange()) {
                throw validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            }
            if (!key.hash().equals(tableKey.hash())) {
                throw validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
                        name, key.hash(), tableKey.hash());
            }
            if (!key.hasRange()) {
                throw validation("One or more parameter values were invalid: Index KeySchema for a LocalSecondaryIndex must have a range key: %s", name);
            }
        }
        if (projection == null || projection.projectionType() == null) {
            throw validation("One or more parameter values were invalid: Unknown ProjectionType: null");
        }
        if (!PROJECTIONS.contains(projection.projectionType())) {
            throw validation("1 validation error detected: Value '%s' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
                    projection.projectionType());
        }
        List<String> nonKey = projection.nonKeyAttributes();
        if (projection.projectionType().equals("INCLUDE")) {
            if (nonKey == null || nonKey.isEmpty()) {
                throw validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
            }
            if (nonKey.size() > MAX_PROJECTED_ATTRIBUTES) {
                throw validation("One or more parameter values were invalid: Cannot project more than 100 attributes into all indexes");
            }
        } else if (nonKey != null) {
            throw validation("One or more parameter values were invalid: ProjectionType is %s, but NonKeyAttributes is specified", projection.projectionType());
        }
        Long read = null;
        Long write = null;
        if (global) {
            checkThroughput(billingMode, throughput, name);
            if (throughput != null) {
                read = throughput.readCapacityUnits();
                write = throughput.writeCapacityUnits();
            }
        }
        return new SecondaryIndex(name, global, key, projection.projectionType(), nonKey, read, write);
    }

    /** Every attribute definition is used by a key of the table or of an index, as DynamoDB requires. */
    static void checkAllDefinitionsUsed(Map<String, String> types, KeySchema key, List<SecondaryIndex> indexes) {
        Set<String> used = new HashSet<>(key.attributes());
        indexes.forEach(i -> used.addAll(i.key().attributes()));
        if (!used.containsAll(types.keySet())) {
            throw validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    static void checkIndexCounts(List<SecondaryIndex> global, List<SecondaryIndex> local) {
        if (global.size() > MAX_GLOBAL_INDEXES) {
            throw AwsException.of(DynamoDbErrors.LIMIT_EXCEEDED, "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20");
        }
        if (local.size() > MAX_LOCAL_INDEXES) {
            throw validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
        }
        Set<String> names = new LinkedHashSet<>();
        for (SecondaryIndex index : global) {
            if (!names.add(index.name())) {
                throw validation("One or more parameter values were invalid: Duplicate index name: %s", index.name());
            }
        }
        for (SecondaryIndex index : local) {
            if (!names.add(index.name())) {
                throw validation("One or more parameter values were invalid: Duplicate index name: %s", index.name());
            }
        }
    }
}
