"""The register of IP rights: trademarks, designs, patents, copyrights and geographical indications."""
