using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TwoFactorFunctions.Api.Hosting;

/// <summary>
/// How request bodies are read and documented, the same in both hosts: strictly. A body member the API does not know,
/// a required member left out, a null where a value is required or an enum value given as a number is refused with
/// <c>invalid_body</c> naming the member (<see cref="Http.BodyProblems"/>) before any handler runs, so a typo can never
/// turn into a default that overwrites a stored value. The OpenAPI document gets the enum values, the email format and
/// the problem answers; its <c>required</c> lists and <c>additionalProperties</c> do not match these rules yet (issue 23).
/// </summary>
public static class RequestContracts
{
    public static IServiceCollection AddRequestContracts(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            // By name only: "role": 0 would otherwise read as the first enum member.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.RespectNullableAnnotations = true;
        });

        services.AddOpenApi(options =>
        {
            // Request bodies are nested records named Body in each handler: without the handler's name in the schema id
            // they would all collapse into one "Body" schema, and every operation would document the last one.
            options.CreateSchemaReferenceId = type =>
                OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id && type.Type.IsNested ? type.Type.DeclaringType!.Name + id : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                switch (context.JsonPropertyInfo?.Name)
                {
                    case "email":
                        schema.Format = "email";
                        break;
                    case "phone":
                        schema.Description ??= "E.164 (+13035551212), or a national number of the tenant's default region.";
                        break;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // Every operation answers 400/401/403/503 problems (the group says so); these two depend on its shape.
                if (operation.Responses?.TryGetValue("400", out var invalid) == true)
                {
                    if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                    {
                        operation.Responses.TryAdd("404", new OpenApiResponse { Description = "Not Found: the tenant, user or other resource the path names does not exist.", Content = invalid.Content });
                    }

                    if (operation.RequestBody is not null)
                    {
                        operation.Responses.TryAdd("413", new OpenApiResponse { Description = "Payload Too Large (code body_too_large).", Content = invalid.Content });
                    }
                }

                return Task.CompletedTask;
            });
        });

        return services;
    }
}
