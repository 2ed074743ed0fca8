import { Testing } from 'cdktf';

// cdktf's matchers (toHaveResourceWithProperties, ...) compare snake_case Terraform keys.
Testing.setupJest();
