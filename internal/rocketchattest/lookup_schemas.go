package rocketchattest

// Query schemas of the lookup endpoints (users.info, subscriptions.get,
// settings.public, permissions.listAll). Rocket.Chat 8.8.1 compiles all of
// them with ajvQuery, so query values are coerced as in coerceArrays.
// testdata/ajv/golden.json records what the real AJV does with them, and
// TestSchemasTranscribed checks these values against the source schemas,
// property order included.

// usersInfoQuery is UsersInfoParamsGetSchema from @rocket.chat/rest-typings
// 8.8.1, dist/v1/users/UsersInfoParamsGet.js (isUsersInfoParamsGetProps, GET
// users.info query). A user is looked up by exactly one key; each branch
// forbids the others through additionalProperties, so a query with two keys
// matches no branch.
var usersInfoQuery = withCoercion(coerceArrays, &schema{anyOf: []*schema{
	usersInfoBranch("userId"),
	usersInfoBranch("username"),
	usersInfoBranch("importId"),
	usersInfoBranch("email"),
	usersInfoBranch("freeSwitchExtension"),
}})

// usersInfoBranch is one branch of UsersInfoParamsGetSchema: the lookup key,
// then the two options every branch repeats. The upstream "description"
// annotations are left out; they do not affect validation.
func usersInfoBranch(key string) *schema {
	return objectOf([]string{key}, schemaBool(false),
		schemaProp(key, ofType("string", nullableFalse)),
		schemaProp("includeUserRooms", ofType("string", nullableFalse)),
		schemaProp("fields", ofType("string", nullableTrue)),
	)
}

// subscriptionsGetQuery is SubscriptionsGetSchema from @rocket.chat/rest-typings
// 8.8.1, dist/v1/subscriptionsEndpoints.js (isSubscriptionsGetProps, GET
// subscriptions.get query).
var subscriptionsGetQuery = withCoercion(coerceArrays, objectOf([]string{}, schemaBool(false),
	schemaProp("updatedSince", ofType("string", nullableTrue)),
))

// settingsPublicQuery is SettingsPublicWithPaginationSchema from
// @rocket.chat/rest-typings 8.8.1, dist/v1/settings.js
// (isSettingsPublicWithPaginationProps, GET settings.public query). Unlike
// integrations.list, count and offset are plain numbers, so a non-numeric
// count is rejected.
var settingsPublicQuery = withCoercion(coerceArrays, objectOf([]string{}, schemaBool(false),
	schemaProp("count", ofType("number", nullableTrue)),
	schemaProp("offset", ofType("number", nullableTrue)),
	schemaProp("sort", ofType("string", nullableTrue)),
	schemaProp("_id", ofType("string", nullableFalse)),
	schemaProp("query", ofType("string", nullableFalse)),
))

// permissionsListAllQuery is not in rest-typings: Rocket.Chat's server compiles
// it inline with ajvQuery, as permissionListAllSchema in
// https://github.com/RocketChat/Rocket.Chat/blob/4a1d4312bd7a033a581015aa4d36c72780abb2e2/apps/meteor/server/api/v1/permissions.ts
// (GET permissions.listAll query).
var permissionsListAllQuery = withCoercion(coerceArrays, objectOf([]string{}, schemaBool(false),
	schemaProp("updatedSince", ofType("string", nullableTrue)),
))
