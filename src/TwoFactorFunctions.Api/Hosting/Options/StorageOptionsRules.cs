using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Hosting.Options;

/// <summary>Either a connection string or an identity-based connection: the Functions host's own two forms.</summary>
public sealed class StorageConnectionRules : OptionsRules<StorageConnection>
{
    public override IEnumerable<string> Check(StorageConnection options)
    {
        if (!options.UsesConnectionString && options.TableServiceUri is null && string.IsNullOrWhiteSpace(options.AccountName))
        {
            yield return "Storage needs AzureWebJobsStorage (a connection string), or AzureWebJobsStorage__tableServiceUri / __accountName.";
        }
    }
}

public sealed class EnrolmentOptionsRules : OptionsRules<EnrolmentOptions>
{
    public override IEnumerable<string> Check(EnrolmentOptions options)
    {
        if (options.BatchSize > options.PageSize)
        {
            yield return $"{EnrolmentOptions.Section}:BatchSize must be at most {EnrolmentOptions.Section}:PageSize (a batch is cut from one page).";
        }
    }
}
