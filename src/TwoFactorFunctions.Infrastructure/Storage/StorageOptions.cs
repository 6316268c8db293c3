using System.ComponentModel.DataAnnotations;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>How the app names its tables (<c>Storage</c> section). Where they live is <see cref="StorageConnection"/>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Prefix for every table name, so several deployments (or test runs) can share an account.</summary>
    [Required(ErrorMessage = Section + ":Prefix is required (it starts table names).")]
    [RegularExpression("^[a-z]{1,20}$", ErrorMessage = Section + ":Prefix must be 1-20 lower-case letters (it starts table names).")]
    public string Prefix { get; set; } = "tff";
}
